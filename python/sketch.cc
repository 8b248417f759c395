// neardup.MinHash: the near level's signing for users who bring their own
// index. Texts are signed exactly as the pipeline signs a document (the
// same normalization, shingles, MinHash and LSH band keys under the same
// options; tests/python/test_sketch.py compares the band keys and sketches
// with the ones `neardup sign-part` writes), many at once, into NumPy
// arrays, in parallel with the GIL released. Rows never depend on the
// thread count: each is a pure function of its text and the options.
#include <neardup/index.h>
#include <neardup/normalize.h>
#include <neardup/pipeline.h>
#include <neardup/signature.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "native.h"

namespace py = pybind11;

namespace neardup::python {
namespace {

using U32Array = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;
using U8Array = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;

// Texts from a Python sequence of str (as UTF-8) or bytes, viewed in place:
// `owners` keeps the objects, and so the views, alive.
struct TextViews {
  py::list owners;
  std::vector<std::string_view> views;
};

std::string_view View(const py::handle& item) {
  if (PyUnicode_Check(item.ptr())) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(item.ptr(), &size);  // cached in the object
    if (data == nullptr) throw py::error_already_set();
    return {data, static_cast<std::size_t>(size)};
  }
  if (PyBytes_Check(item.ptr())) {
    return {PyBytes_AS_STRING(item.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(item.ptr()))};
  }
  throw py::type_error("a text is a str or bytes, not " +
                       std::string(py::str(py::type::of(item).attr("__name__"))));
}

TextViews Views(const py::iterable& texts) {
  TextViews out;
  for (const py::handle item : texts) {
    out.views.push_back(View(item));
    out.owners.append(item);
  }
  return out;
}

// The bytes the pipeline signs of a longer text: its first max_bytes, cut
// back to a character boundary (as the pipeline's SignedText does).
std::string_view SignedPrefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

// A 2-D C-contiguous array's rows, checked to be `width` wide.
void CheckRows(const py::buffer_info& info, py::ssize_t width, const char* what) {
  if (info.ndim != 2 || info.shape[1] != width) {
    throw py::value_error(std::string(what) + ": expected an array of shape (n, " +
                          std::to_string(width) + ")");
  }
}

class Sketcher {
 public:
  // `args`: the options of `neardup cluster` (near level, MinHash).
  explicit Sketcher(const std::vector<std::string>& args) {
    std::vector<std::string> all = args;
    all.insert(all.end(), {"--", "<texts>"});
    options_ = ParseFlags(all).pipeline;
    if (options_.level != Level::kNear || options_.method != NearMethod::kMinHash) {
      throw py::value_error("MinHash signs for the near level's minhash method");
    }
    hasher_.emplace(options_.minhash);
    // As the pipeline keys its bands (NearLshParams in lib/pipeline): under
    // --containment, the S-curve is centred on the Jaccard similarity of a
    // pair at that containment and size ratio.
    LshOptions lsh = options_.lsh;
    if (options_.containment > 0) {
      lsh.threshold =
          options_.containment / (1 + options_.containment_ratio - options_.containment);
    }
    lsh_ = OptimalLshParams(lsh, options_.minhash.num_perm);
  }

  int num_perm() const { return hasher_->num_perm(); }
  std::uint64_t seed() const { return options_.minhash.seed; }
  int shingle() const { return options_.shingle.size; }
  int bands() const { return lsh_.bands; }
  int rows() const { return lsh_.rows; }
  int sketch_bins() const { return hasher_->sketch_bins(); }
  std::size_t sketch_bytes() const { return hasher_->sketch_bytes(); }
  int threads() const { return options_.threads; }

  // Signatures (n x k, uint32) and, when `sketches`, b-bit sketches
  // (n x sketch_bytes, uint8) of the texts.
  py::object Sign(const py::iterable& texts, bool sketches) const {
    const TextViews in = Views(texts);
    const auto n = static_cast<py::ssize_t>(in.views.size());
    const auto k = static_cast<py::ssize_t>(num_perm());
    U32Array sigs({n, k});
    U8Array sk({sketches ? n : 0, static_cast<py::ssize_t>(sketch_bytes())});
    std::uint32_t* sig_out = sigs.mutable_data();
    std::uint8_t* sketch_out = sk.mutable_data();
    {
      py::gil_scoped_release release;
      struct Scratch {
        HashedText hashed;
        std::vector<std::uint64_t> shingles;
      };
      tbb::enumerable_thread_specific<Scratch> scratch;
      Arena().execute([&] {
        tbb::parallel_for(std::size_t{0}, in.views.size(), [&](std::size_t i) {
          Scratch& s = scratch.local();
          Shingles(in.views[i], &s.hashed, &s.shingles);
          const std::span<std::uint32_t> row(sig_out + i * static_cast<std::size_t>(k),
                                             static_cast<std::size_t>(k));
          if (sketches) {
            hasher_->Sign(s.shingles, row,
                          std::span<std::uint8_t>(sketch_out + i * sketch_bytes(), sketch_bytes()));
          } else {
            hasher_->Sign(s.shingles, row);
          }
        });
      });
    }
    if (sketches) return py::make_tuple(sigs, sk);
    return sigs;
  }

  // The shingle hashes of one text, in text order, repeats kept.
  py::array_t<std::uint64_t> ShingleArray(const py::handle& text) const {
    const std::string_view view = View(text);
    HashedText hashed;
    std::vector<std::uint64_t> shingles;
    {
      py::gil_scoped_release release;
      Shingles(view, &hashed, &shingles);
    }
    py::array_t<std::uint64_t> out(static_cast<py::ssize_t>(shingles.size()));
    std::copy(shingles.begin(), shingles.end(), out.mutable_data());
    return out;
  }

  // LSH band keys (n x bands, uint64) of signatures, for (bands, rows), or
  // the pipeline's when both are 0.
  py::array_t<std::uint64_t> BandKeys(const U32Array& signatures, int bands, int rows) const {
    LshParams params = lsh_;
    if (bands != 0 || rows != 0) {
      if (bands <= 0 || rows <= 0 || bands * rows > num_perm()) {
        throw py::value_error("bands and rows must both be positive, with bands x rows <= " +
                              std::to_string(num_perm()) + " (num_perm)");
      }
      params = LshParams{bands, rows};
    }
    const py::buffer_info info = signatures.request();
    CheckRows(info, num_perm(), "signatures");
    const auto n = static_cast<std::size_t>(info.shape[0]);
    const auto k = static_cast<std::size_t>(num_perm());
    const auto b = static_cast<std::size_t>(params.bands);
    py::array_t<std::uint64_t> keys({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(b)});
    const std::uint32_t* in = signatures.data();
    std::uint64_t* out = keys.mutable_data();
    {
      py::gil_scoped_release release;
      Arena().execute([&] {
        tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
          LshBandKeys(params, std::span<const std::uint32_t>(in + i * k, k),
                      std::span<std::uint64_t>(out + i * b, b));
        });
      });
    }
    return keys;
  }

 private:
  // NormalizeAndHash and ShingleHashes, as the pipeline's signing pass.
  void Shingles(std::string_view text, HashedText* hashed,
                std::vector<std::uint64_t>* shingles) const {
    NormalizeAndHash(SignedPrefix(text, options_.max_document_bytes), options_.normalize,
                     options_.shingle.seed, hashed);
    ShingleHashes(*hashed, options_.shingle, shingles);
  }

  tbb::task_arena Arena() const {
    return tbb::task_arena(options_.threads > 0 ? options_.threads : tbb::task_arena::automatic);
  }

  PipelineOptions options_;
  std::optional<MinHasher> hasher_;
  LshParams lsh_;
};

// Row-wise estimates of two equal-shape arrays (one row each, or n rows).
template <typename T, typename Estimate>
py::array_t<double> RowWise(const py::array_t<T, py::array::c_style | py::array::forcecast>& a,
                            const py::array_t<T, py::array::c_style | py::array::forcecast>& b,
                            const Estimate& estimate) {
  const py::buffer_info x = a.request();
  const py::buffer_info y = b.request();
  if (x.ndim < 1 || x.ndim > 2 || x.shape != y.shape || x.shape.back() == 0) {
    throw py::value_error("expected two non-empty arrays of the same shape, (k,) or (n, k)");
  }
  const auto width = static_cast<std::size_t>(x.shape.back());
  const std::size_t n = x.ndim == 2 ? static_cast<std::size_t>(x.shape[0]) : 1;
  py::array_t<double> out(static_cast<py::ssize_t>(n));
  const T* pa = a.data();
  const T* pb = b.data();
  double* po = out.mutable_data();
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < n; ++i) {
      po[i] = estimate(std::span<const T>(pa + i * width, width),
                       std::span<const T>(pb + i * width, width));
    }
  }
  return out;
}

}  // namespace

void AddSketchBindings(py::module_& m) {
  py::class_<Sketcher>(m, "Sketcher",
                       "MinHash signing as the near level does it (use neardup.MinHash)")
      .def(py::init<const std::vector<std::string>&>(), py::arg("args"))
      .def_property_readonly("num_perm", &Sketcher::num_perm)
      .def_property_readonly("seed", &Sketcher::seed)
      .def_property_readonly("shingle", &Sketcher::shingle)
      .def_property_readonly("bands", &Sketcher::bands)
      .def_property_readonly("rows", &Sketcher::rows)
      .def_property_readonly("sketch_bins", &Sketcher::sketch_bins)
      .def_property_readonly("threads", &Sketcher::threads)
      .def("sign", &Sketcher::Sign, py::arg("texts"), py::arg("sketches"))
      .def("shingles", &Sketcher::ShingleArray, py::arg("text"))
      .def("band_keys", &Sketcher::BandKeys, py::arg("signatures"), py::arg("bands"),
           py::arg("rows"));
  m.def(
      "estimate_jaccard",
      [](const U32Array& a, const U32Array& b) {
        return RowWise<std::uint32_t>(a, b, [](auto x, auto y) { return EstimateJaccard(x, y); });
      },
      py::arg("a"), py::arg("b"));
  m.def(
      "sketch_jaccard",
      [](const U8Array& a, const U8Array& b) {
        if (a.ndim() >= 1 && a.shape(a.ndim() - 1) % 8 != 0) {
          throw py::value_error("a sketch is a multiple of 8 bytes");
        }
        return RowWise<std::uint8_t>(
            a, b, [](auto x, auto y) { return CompareBbitSketches(x, y).Jaccard(); });
      },
      py::arg("a"), py::arg("b"));
}

}  // namespace neardup::python

// The persistent index's workload on four stores (issue 22, "storage chosen
// by measurement"): our segment files (lib/store, through IndexAdd and
// IndexSnapshot themselves), and, when the bench was built with them,
// SQLite, LMDB and RocksDB as Debian packages them.
//
// The workload is what `neardup index add` and `query` do with the index,
// at the default near-level options (18 LSH bands, 256-byte sketches):
//   lookup  before batch b is stored: every band key of batch b's documents
//           (and its exact fingerprints) against everything stored, then the
//           sketch and record of every earlier document matched;
//   write   batch b stored durably: a record (48 bytes + id) and a sketch per
//           document, the exact fingerprint and 18 band keys per indexed
//           document (exact copies get a record only);
//   query   a held-out batch's lookup against the whole store.
// Documents are synthetic with the statistics of the real ones: keys and
// fingerprints are 64-bit hashes (as LshBandKeys and the exact fingerprint
// are), a fraction --dup of each batch copies an earlier document (each
// band key kept with probability 0.7, the exact fingerprint with 0.3), so
// every store finds the same matches (printed: they must agree).
//
//   store_compare --store ours|sqlite|lmdb|rocksdb --dir DIR [--docs 100000]
//                 [--batches 10] [--dup 0.1]
// Prints CSV rows: store,phase,batch,seconds,cpu_seconds,matches,bytes,bytes_per_doc
// and a last row "peak,...,peak_rss_kb". DIR must not exist.
#include <neardup/index.h>
#include <neardup/signature.h>
#include <neardup/store.h>
#include <sys/resource.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#ifdef NEARDUP_HAVE_SQLITE
#include <sqlite3.h>
#endif
#ifdef NEARDUP_HAVE_LMDB
#include <lmdb.h>
#endif
#ifdef NEARDUP_HAVE_ROCKSDB
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#endif

namespace {

namespace fs = std::filesystem;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "store_compare: %s\n", what.c_str());
  std::exit(1);
}

std::uint64_t Hash(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t v[2] = {a, b};
  return XXH64(v, sizeof(v), 0x5eed);
}

// One batch of synthetic documents, numbered first .. first + n - 1.
struct Batch {
  std::uint64_t first = 0;
  std::vector<std::string> ids;
  std::vector<std::uint64_t> keys;  // bands per document
  std::vector<neardup::Fingerprint128> exact;
  std::vector<std::uint8_t> sketches;  // sketch_bytes per document
  std::vector<bool> indexed;           // false: an exact copy (record only)
  std::size_t size() const { return ids.size(); }
};

int g_bands = 0;
std::size_t g_sketch = 0;

// Document g's own keys; a copy (fraction dup) takes an earlier document's.
void MakeDocument(std::uint64_t g, std::uint64_t copies_below, double dup, Batch* b) {
  std::uint64_t src = g;
  if (copies_below > 0 && static_cast<double>(Hash(g, 1) % 1000000) < dup * 1e6) {
    src = Hash(g, 2) % copies_below;
  }
  b->ids.push_back("d" + std::to_string(g));
  for (int k = 0; k < g_bands; ++k) {
    const bool kept = src != g && Hash(g, 100 + static_cast<std::uint64_t>(k)) % 10 < 7;
    b->keys.push_back(Hash(kept ? src : g, 1000 + static_cast<std::uint64_t>(k)));
  }
  const bool exact_copy = src != g && Hash(g, 3) % 10 < 3;
  const std::uint64_t e = exact_copy ? src : g;
  b->exact.push_back(neardup::Fingerprint128{Hash(e, 4), Hash(e, 5)});
  b->indexed.push_back(!exact_copy);
  for (std::size_t i = 0; i < g_sketch; i += 8) {
    const std::uint64_t h = Hash(g, 10000 + i);
    std::uint8_t bytes[8];
    std::memcpy(bytes, &h, 8);
    b->sketches.insert(b->sketches.end(), bytes, bytes + std::min<std::size_t>(8, g_sketch - i));
  }
}

Batch MakeBatch(std::uint64_t first, std::size_t n, std::uint64_t copies_below, double dup) {
  Batch b;
  b.first = first;
  for (std::size_t i = 0; i < n; ++i) MakeDocument(first + i, copies_below, dup, &b);
  return b;
}

// A 48-byte record as the segments hold it (representative, offset, line,
// strings, lengths, input, flags): the other stores store the same bytes.
std::string Record(const Batch& b, std::size_t i) {
  std::uint64_t r[6] = {b.first + i, i * 700, i + 1, 0, b.ids[i].size(), 3};
  return std::string(reinterpret_cast<const char*>(r), sizeof(r)) + b.ids[i];
}

// What every store does.
class Store {
 public:
  virtual ~Store() = default;
  // (query document, stored document) for every band key and exact fingerprint shared.
  virtual void Match(const Batch& b, std::vector<std::pair<std::uint32_t, std::uint64_t>>* out) = 0;
  // The sketch and record of a stored document; returns their bytes.
  virtual std::size_t Fetch(std::uint64_t doc) = 0;
  virtual void Write(const Batch& b) = 0;  // durable when it returns
  virtual void Close() {}
};

// Sorted (key, document) pairs of one band of a batch, indexed documents only... and all of
// them as queries (a copy's keys are looked up like any other).
std::vector<std::pair<std::uint64_t, std::uint32_t>> SortedBand(const Batch& b, int band) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(b.size());
  for (std::size_t i = 0; i < b.size(); ++i) {
    keys[i] = {b.keys[i * static_cast<std::size_t>(g_bands) + static_cast<std::size_t>(band)],
               static_cast<std::uint32_t>(i)};
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

// --- ours: lib/store itself ------------------------------------------------
class Ours final : public Store {
 public:
  explicit Ours(const std::string& dir) : dir_(dir) {
    neardup::PipelineOptions options;
    if (!neardup::InitIndex(dir, options).ok()) Die("InitIndex");
    Reopen();
  }
  void Reopen() {
    auto s = neardup::IndexSnapshot::Open(dir_);
    if (!s.ok()) Die(s.status().message());
    snap_ = std::move(s).value();
  }
  void Match(const Batch& b, std::vector<std::pair<std::uint32_t, std::uint64_t>>* out) override {
    std::vector<neardup::PriorMatch> m;
    for (int band = 0; band < g_bands; ++band) {
      std::vector<neardup::BandKey> keys;
      for (const auto& [k, d] : SortedBand(b, band)) keys.push_back(neardup::BandKey{k, d});
      if (!snap_->MatchBand(band, keys, &m).ok()) Die("MatchBand");
    }
    std::vector<neardup::ExactKey> ek;
    for (std::size_t i = 0; i < b.size(); ++i)
      ek.push_back(neardup::ExactKey{b.exact[i], static_cast<neardup::DocIndex>(i)});
    std::sort(ek.begin(), ek.end(), [](const auto& x, const auto& y) {
      return x.fingerprint != y.fingerprint ? x.fingerprint < y.fingerprint : x.doc < y.doc;
    });
    if (!snap_->MatchExact(ek, &m).ok()) Die("MatchExact");
    for (const auto& x : m) out->emplace_back(x.doc, x.prior);
  }
  std::size_t Fetch(std::uint64_t doc) override {
    std::vector<std::uint8_t> sketch(g_sketch);
    if (!snap_->ReadSketch(doc, sketch).ok()) Die("ReadSketch");
    auto info = snap_->Describe(doc);
    if (!info.ok()) Die("Describe");
    return sketch.size() + 48 + info.value().id.size();
  }
  void Write(const Batch& b) override {
    snap_.reset();
    auto add = neardup::IndexAdd::Begin(dir_, "", {"/nonexistent/input"}, {});
    if (!add.ok()) Die(add.status().message());
    std::vector<neardup::DocumentInfo> infos(b.size());
    for (std::size_t i = 0; i < b.size(); ++i) {
      infos[i].index = static_cast<neardup::DocIndex>(i);
      infos[i].id = b.ids[i];
      infos[i].source = {"/nonexistent/input", i + 1};
      infos[i].words = 100;
      infos[i].offset = i * 700;
    }
    neardup::IndexedBatch ib;
    ib.documents = b.size();
    ib.info = [&](neardup::DocIndex d) -> const neardup::DocumentInfo& { return infos[d]; };
    ib.indexed = [&](neardup::DocIndex d) { return static_cast<bool>(b.indexed[d]); };
    ib.exact = [&](neardup::DocIndex d) { return b.exact[d]; };
    ib.band_keys = [&](neardup::DocIndex d) {
      return std::span<const std::uint64_t>(
          &b.keys[std::size_t{d} * static_cast<std::size_t>(g_bands)],
          static_cast<std::size_t>(g_bands));
    };
    ib.sketch = [&](neardup::DocIndex d) {
      return std::span<const std::uint8_t>(&b.sketches[std::size_t{d} * g_sketch], g_sketch);
    };
    ib.representative = [&](neardup::DocIndex d) { return b.first + d; };
    if (!add.value()->Record(ib).ok() || !add.value()->Commit().ok()) Die("add");
    add.value().reset();
    Reopen();
  }

 private:
  std::string dir_;
  std::unique_ptr<neardup::IndexSnapshot> snap_;
};

#ifdef NEARDUP_HAVE_SQLITE
// --- SQLite: three tables with B-tree primary keys, WAL, synchronous=FULL ----
class Sqlite final : public Store {
 public:
  explicit Sqlite(const std::string& dir) {
    fs::create_directories(dir);
    if (sqlite3_open((dir + "/index.db").c_str(), &db_) != SQLITE_OK) Die("sqlite3_open");
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    Exec(
        "CREATE TABLE docs(doc INTEGER PRIMARY KEY, record BLOB, sketch BLOB);"
        "CREATE TABLE exact(lo INTEGER, hi INTEGER, doc INTEGER, PRIMARY KEY(lo, hi, doc)) "
        "WITHOUT ROWID;"
        "CREATE TABLE bands(band INTEGER, key INTEGER, doc INTEGER, PRIMARY KEY(band, key, doc)) "
        "WITHOUT ROWID;");
    band_ = Prepare("SELECT doc FROM bands WHERE band = ?1 AND key = ?2");
    exact_ = Prepare("SELECT doc FROM exact WHERE lo = ?1 AND hi = ?2");
    fetch_ = Prepare("SELECT record, sketch FROM docs WHERE doc = ?1");
    ins_doc_ = Prepare("INSERT INTO docs VALUES (?1, ?2, ?3)");
    ins_exact_ = Prepare("INSERT INTO exact VALUES (?1, ?2, ?3)");
    ins_band_ = Prepare("INSERT INTO bands VALUES (?1, ?2, ?3)");
  }
  void Close() override {
    for (sqlite3_stmt* s : {band_, exact_, fetch_, ins_doc_, ins_exact_, ins_band_})
      sqlite3_finalize(s);
    Exec("PRAGMA wal_checkpoint(TRUNCATE);");
    sqlite3_close(db_);
  }
  void Match(const Batch& b, std::vector<std::pair<std::uint32_t, std::uint64_t>>* out) override {
    Exec("BEGIN");
    for (int band = 0; band < g_bands; ++band) {
      for (const auto& [k, d] : SortedBand(b, band)) {
        sqlite3_bind_int(band_, 1, band);
        sqlite3_bind_int64(band_, 2, static_cast<sqlite3_int64>(k));
        while (sqlite3_step(band_) == SQLITE_ROW)
          out->emplace_back(d, static_cast<std::uint64_t>(sqlite3_column_int64(band_, 0)));
        sqlite3_reset(band_);
      }
    }
    for (std::size_t i = 0; i < b.size(); ++i) {
      sqlite3_bind_int64(exact_, 1, static_cast<sqlite3_int64>(b.exact[i].low));
      sqlite3_bind_int64(exact_, 2, static_cast<sqlite3_int64>(b.exact[i].high));
      while (sqlite3_step(exact_) == SQLITE_ROW)
        out->emplace_back(i, static_cast<std::uint64_t>(sqlite3_column_int64(exact_, 0)));
      sqlite3_reset(exact_);
    }
    Exec("COMMIT");
  }
  std::size_t Fetch(std::uint64_t doc) override {
    sqlite3_bind_int64(fetch_, 1, static_cast<sqlite3_int64>(doc));
    std::size_t n = 0;
    if (sqlite3_step(fetch_) == SQLITE_ROW)
      n = static_cast<std::size_t>(sqlite3_column_bytes(fetch_, 0) +
                                   sqlite3_column_bytes(fetch_, 1));
    sqlite3_reset(fetch_);
    return n;
  }
  void Write(const Batch& b) override {
    Exec("BEGIN");
    for (std::size_t i = 0; i < b.size(); ++i) {
      const std::string r = Record(b, i);
      sqlite3_bind_int64(ins_doc_, 1, static_cast<sqlite3_int64>(b.first + i));
      sqlite3_bind_blob(ins_doc_, 2, r.data(), static_cast<int>(r.size()), SQLITE_TRANSIENT);
      sqlite3_bind_blob(ins_doc_, 3, &b.sketches[i * g_sketch], static_cast<int>(g_sketch),
                        SQLITE_STATIC);
      Step(ins_doc_);
      if (!b.indexed[i]) continue;
      sqlite3_bind_int64(ins_exact_, 1, static_cast<sqlite3_int64>(b.exact[i].low));
      sqlite3_bind_int64(ins_exact_, 2, static_cast<sqlite3_int64>(b.exact[i].high));
      sqlite3_bind_int64(ins_exact_, 3, static_cast<sqlite3_int64>(b.first + i));
      Step(ins_exact_);
    }
    for (int band = 0; band < g_bands; ++band) {
      for (const auto& [k, d] : SortedBand(b, band)) {
        if (!b.indexed[d]) continue;
        sqlite3_bind_int(ins_band_, 1, band);
        sqlite3_bind_int64(ins_band_, 2, static_cast<sqlite3_int64>(k));
        sqlite3_bind_int64(ins_band_, 3, static_cast<sqlite3_int64>(b.first + d));
        Step(ins_band_);
      }
    }
    Exec("COMMIT");
  }

 private:
  void Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) Die(err ? err : sql);
  }
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) Die(sqlite3_errmsg(db_));
    return s;
  }
  void Step(sqlite3_stmt* s) {
    if (sqlite3_step(s) != SQLITE_DONE) Die(sqlite3_errmsg(db_));
    sqlite3_reset(s);
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt *band_, *exact_, *fetch_, *ins_doc_, *ins_exact_, *ins_band_;
};
#endif

// Big-endian bytes of v appended (keys sort as numbers in the byte-ordered stores).
void PutBig(std::string* s, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) s->push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}
std::uint64_t GetBig(const char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

#ifdef NEARDUP_HAVE_LMDB
// --- LMDB: one B+tree per table; bands and exact as DUPSORT keys ----------
class Lmdb final : public Store {
 public:
  explicit Lmdb(const std::string& dir) {
    fs::create_directories(dir);
    Check(mdb_env_create(&env_), "env_create");
    Check(mdb_env_set_mapsize(env_, std::size_t{64} << 30), "mapsize");
    Check(mdb_env_set_maxdbs(env_, 3), "maxdbs");
    Check(mdb_env_open(env_, dir.c_str(), 0, 0644), "env_open");
    MDB_txn* txn;
    Check(mdb_txn_begin(env_, nullptr, 0, &txn), "txn");
    Check(mdb_dbi_open(txn, "docs", MDB_CREATE | MDB_INTEGERKEY, &docs_), "docs");
    Check(mdb_dbi_open(txn, "exact", MDB_CREATE | MDB_DUPSORT | MDB_DUPFIXED, &exact_), "exact");
    Check(mdb_dbi_open(txn, "bands", MDB_CREATE | MDB_DUPSORT | MDB_DUPFIXED, &bands_), "bands");
    Check(mdb_txn_commit(txn), "commit");
  }
  void Close() override { mdb_env_close(env_); }
  void Match(const Batch& b, std::vector<std::pair<std::uint32_t, std::uint64_t>>* out) override {
    MDB_txn* txn;
    Check(mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn), "txn");
    MDB_cursor* c;
    Check(mdb_cursor_open(txn, bands_, &c), "cursor");
    for (int band = 0; band < g_bands; ++band) {
      for (const auto& [k, d] : SortedBand(b, band)) {
        std::string key(1, static_cast<char>(band));
        PutBig(&key, k);
        Dups(c, key, d, out);
      }
    }
    mdb_cursor_close(c);
    Check(mdb_cursor_open(txn, exact_, &c), "cursor");
    for (std::size_t i = 0; i < b.size(); ++i) {
      std::string key;
      PutBig(&key, b.exact[i].low);
      PutBig(&key, b.exact[i].high);
      Dups(c, key, static_cast<std::uint32_t>(i), out);
    }
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
  }
  std::size_t Fetch(std::uint64_t doc) override {
    MDB_txn* txn;
    Check(mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn), "txn");
    MDB_val k{sizeof(doc), &doc}, v;
    std::size_t n = mdb_get(txn, docs_, &k, &v) == 0 ? v.mv_size : 0;
    mdb_txn_abort(txn);
    return n;
  }
  void Write(const Batch& b) override {
    MDB_txn* txn;
    Check(mdb_txn_begin(env_, nullptr, 0, &txn), "txn");
    for (std::size_t i = 0; i < b.size(); ++i) {
      std::string v = Record(b, i);
      v.append(reinterpret_cast<const char*>(&b.sketches[i * g_sketch]), g_sketch);
      std::uint64_t doc = b.first + i;
      MDB_val key{sizeof(doc), &doc}, val{v.size(), v.data()};
      Check(mdb_put(txn, docs_, &key, &val, MDB_APPEND), "put doc");
      if (!b.indexed[i]) continue;
      std::string e;
      PutBig(&e, b.exact[i].low);
      PutBig(&e, b.exact[i].high);
      PutDup(txn, exact_, e, doc);
    }
    for (int band = 0; band < g_bands; ++band) {
      for (const auto& [k, d] : SortedBand(b, band)) {
        if (!b.indexed[d]) continue;
        std::string key(1, static_cast<char>(band));
        PutBig(&key, k);
        PutDup(txn, bands_, key, b.first + d);
      }
    }
    Check(mdb_txn_commit(txn), "commit");  // fsyncs (no MDB_NOSYNC)
  }

 private:
  static void Check(int rc, const char* what) {
    if (rc != 0) Die(std::string("lmdb ") + what + ": " + mdb_strerror(rc));
  }
  void PutDup(MDB_txn* txn, MDB_dbi dbi, const std::string& key, std::uint64_t doc) {
    std::string v;
    PutBig(&v, doc);
    MDB_val k{key.size(), const_cast<char*>(key.data())}, val{v.size(), v.data()};
    Check(mdb_put(txn, dbi, &k, &val, 0), "put");
  }
  static void Dups(MDB_cursor* c, const std::string& key, std::uint32_t d,
                   std::vector<std::pair<std::uint32_t, std::uint64_t>>* out) {
    MDB_val k{key.size(), const_cast<char*>(key.data())}, v;
    for (int rc = mdb_cursor_get(c, &k, &v, MDB_SET); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
      out->emplace_back(d, GetBig(static_cast<const char*>(v.mv_data)));
    }
  }
  MDB_env* env_ = nullptr;
  MDB_dbi docs_ = 0, exact_ = 0, bands_ = 0;
};
#endif

#ifdef NEARDUP_HAVE_ROCKSDB
// --- RocksDB: an LSM tree; (band, key, doc) as keys with empty values ------
class Rocks final : public Store {
 public:
  explicit Rocks(const std::string& dir) {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    if (!rocksdb::DB::Open(options, dir, &db).ok()) Die("rocksdb open");
    db_.reset(db);
  }
  void Close() override { db_.reset(); }
  void Match(const Batch& b, std::vector<std::pair<std::uint32_t, std::uint64_t>>* out) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (int band = 0; band < g_bands; ++band) {
      for (const auto& [k, d] : SortedBand(b, band)) {
        std::string prefix = "b";
        prefix.push_back(static_cast<char>(band));
        PutBig(&prefix, k);
        Scan(it.get(), prefix, d, out);
      }
    }
    for (std::size_t i = 0; i < b.size(); ++i) {
      std::string prefix = "e";
      PutBig(&prefix, b.exact[i].low);
      PutBig(&prefix, b.exact[i].high);
      Scan(it.get(), prefix, static_cast<std::uint32_t>(i), out);
    }
  }
  std::size_t Fetch(std::uint64_t doc) override {
    std::string key = "d", value;
    PutBig(&key, doc);
    return db_->Get(rocksdb::ReadOptions(), key, &value).ok() ? value.size() : 0;
  }
  void Write(const Batch& b) override {
    rocksdb::WriteBatch wb;
    for (std::size_t i = 0; i < b.size(); ++i) {
      std::string key = "d";
      PutBig(&key, b.first + i);
      std::string v = Record(b, i);
      v.append(reinterpret_cast<const char*>(&b.sketches[i * g_sketch]), g_sketch);
      wb.Put(key, v);
      if (!b.indexed[i]) continue;
      std::string e = "e";
      PutBig(&e, b.exact[i].low);
      PutBig(&e, b.exact[i].high);
      PutBig(&e, b.first + i);
      wb.Put(e, "");
      for (int band = 0; band < g_bands; ++band) {
        std::string k = "b";
        k.push_back(static_cast<char>(band));
        PutBig(&k, b.keys[i * static_cast<std::size_t>(g_bands) + static_cast<std::size_t>(band)]);
        PutBig(&k, b.first + i);
        wb.Put(k, "");
      }
    }
    rocksdb::WriteOptions w;
    w.sync = true;
    if (!db_->Write(w, &wb).ok()) Die("rocksdb write");
  }

 private:
  static void Scan(rocksdb::Iterator* it, const std::string& prefix, std::uint32_t d,
                   std::vector<std::pair<std::uint32_t, std::uint64_t>>* out) {
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      out->emplace_back(d, GetBig(it->key().data() + prefix.size()));
    }
  }
  std::unique_ptr<rocksdb::DB> db_;
};
#endif

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}
std::uint64_t DirBytes(const std::string& dir) {
  std::uint64_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) n += e.file_size();
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  std::string store_name, dir;
  std::size_t docs = 100000;
  int batches = 10;
  double dup = 0.1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--store")
      store_name = v;
    else if (a == "--dir")
      dir = v;
    else if (a == "--docs")
      docs = std::stoul(v);
    else if (a == "--batches")
      batches = std::stoi(v);
    else if (a == "--dup")
      dup = std::stod(v);
    else
      Die("unknown option " + a);
  }
  if (store_name.empty() || dir.empty()) Die("usage: --store ours|sqlite|lmdb|rocksdb --dir DIR");
  if (fs::exists(dir)) Die(dir + " exists");
  const neardup::PipelineOptions defaults;
  g_bands = neardup::OptimalLshParams(defaults.lsh, defaults.minhash.num_perm).bands;
  g_sketch = neardup::MinHasher(defaults.minhash).sketch_bytes();

  std::unique_ptr<Store> store;
  if (store_name == "ours") store = std::make_unique<Ours>(dir);
#ifdef NEARDUP_HAVE_SQLITE
  if (store_name == "sqlite") store = std::make_unique<Sqlite>(dir);
#endif
#ifdef NEARDUP_HAVE_LMDB
  if (store_name == "lmdb") store = std::make_unique<Lmdb>(dir);
#endif
#ifdef NEARDUP_HAVE_ROCKSDB
  if (store_name == "rocksdb") store = std::make_unique<Rocks>(dir);
#endif
  if (store == nullptr) Die("store " + store_name + " not built in");

  // lookup (the add's), then write, per batch; then the query of a held-out batch.
  auto lookup = [&](const Batch& b, const char* phase, int number) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = CpuSeconds();
    std::vector<std::pair<std::uint32_t, std::uint64_t>> matches;
    store->Match(b, &matches);
    std::vector<std::uint64_t> prior;
    for (const auto& m : matches) prior.push_back(m.second);
    std::sort(prior.begin(), prior.end());
    prior.erase(std::unique(prior.begin(), prior.end()), prior.end());
    std::size_t fetched = 0;
    for (std::uint64_t p : prior) fetched += store->Fetch(p);
    std::sort(matches.begin(), matches.end());
    matches.erase(std::unique(matches.begin(), matches.end()), matches.end());
    std::printf("%s,%s,%d,%.3f,%.3f,%zu,%zu,\n", store_name.c_str(), phase, number, Seconds(t0),
                CpuSeconds() - c0, matches.size(), fetched);
    std::fflush(stdout);
  };
  std::printf("store,phase,batch,seconds,cpu_seconds,matches,bytes,bytes_per_doc\n");
  for (int n = 1; n <= batches; ++n) {
    const std::uint64_t first = static_cast<std::uint64_t>(n - 1) * docs;
    const Batch b = MakeBatch(first, docs, first, dup);
    if (n > 1) lookup(b, "lookup", n);
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = CpuSeconds();
    store->Write(b);
    const std::uint64_t bytes = DirBytes(dir);
    std::printf("%s,write,%d,%.3f,%.3f,,%" PRIu64 ",%.1f\n", store_name.c_str(), n, Seconds(t0),
                CpuSeconds() - c0, bytes,
                static_cast<double>(bytes) / static_cast<double>(first + docs));
    std::fflush(stdout);
  }
  const std::uint64_t stored = static_cast<std::uint64_t>(batches) * docs;
  lookup(MakeBatch(stored, docs, stored, dup), "query", batches + 1);
  store->Close();
  const std::uint64_t bytes = DirBytes(dir);
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::printf("%s,closed,%d,,,,%" PRIu64 ",%.1f\n", store_name.c_str(), batches, bytes,
              static_cast<double>(bytes) / static_cast<double>(stored));
  std::printf("%s,peak_rss_kb,%d,,,,%ld,\n", store_name.c_str(), batches, u.ru_maxrss);
  return 0;
}

// svg_chart: draws the CSV written by scripts/bench-corpus.sh as one
// self-contained SVG with two panels against corpus size (log x axis):
// throughput (MB/s of input text) and memory (peak RSS bytes per document).
// One line per (level, threads) series.
//
//   svg_chart bench/results/2026-11-24-corpus.csv bench/results/2026-11-24-corpus.svg
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Splits one CSV line; fields may be double-quoted (with "" for a quote).
std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

struct Point {
  double docs;
  double mb_per_s;
  double bytes_per_doc;
};

std::string Escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Num(double v) {
  char buf[32];
  if (v >= 1e6) {
    std::snprintf(buf, sizeof(buf), "%gM", v / 1e6);
  } else if (v >= 1e3) {
    std::snprintf(buf, sizeof(buf), "%gk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof(buf), "%g", v);
  }
  return buf;
}

// A "nice" upper bound and tick step for a linear axis from 0 to max_value.
double NiceStep(double max_value) {
  const double raw = max_value / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) return m * mag;
  }
  return 10 * mag;
}

const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

struct Panel {
  double x0, y0, width, height;  // plot area
  std::string title, y_label;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: svg_chart RESULTS.csv OUT.svg\n";
    return 1;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "svg_chart: cannot read " << argv[1] << "\n";
    return 2;
  }
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = SplitCsv(line);
  auto column = [&](const std::string& name) -> std::size_t {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      std::cerr << "svg_chart: no column " << name << "\n";
      std::exit(2);
    }
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t c_level = column("level"), c_docs = column("docs"),
                    c_threads = column("threads"), c_mbs = column("mb_per_s"),
                    c_bpd = column("bytes_per_doc"), c_machine = column("machine"),
                    c_date = column("date");
  std::map<std::string, std::vector<Point>> series;  // "near, 2 threads" -> points
  std::string machine, date;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> f = SplitCsv(line);
    if (f.size() < header.size()) continue;
    const std::string name =
        f[c_level] + ", " + f[c_threads] + (f[c_threads] == "1" ? " thread" : " threads");
    series[name].push_back({std::stod(f[c_docs]), std::stod(f[c_mbs]), std::stod(f[c_bpd])});
    machine = f[c_machine];
    date = f[c_date];
  }
  if (series.empty()) {
    std::cerr << "svg_chart: no rows in " << argv[1] << "\n";
    return 2;
  }
  double min_docs = 1e300, max_docs = 0, max_mbs = 0, max_bpd = 0;
  for (auto& [name, points] : series) {
    std::sort(points.begin(), points.end(),
              [](const Point& a, const Point& b) { return a.docs < b.docs; });
    for (const Point& p : points) {
      min_docs = std::min(min_docs, p.docs);
      max_docs = std::max(max_docs, p.docs);
      max_mbs = std::max(max_mbs, p.mb_per_s);
      max_bpd = std::max(max_bpd, p.bytes_per_doc);
    }
  }
  // Log x axis over whole decades around the data.
  const double lo = std::floor(std::log10(min_docs) + 1e-9);
  const double hi = std::max(lo + 1, std::ceil(std::log10(max_docs) - 1e-9));

  const double width = 960, height = 440;
  const Panel panels[] = {
      {70, 50, 370, 300, "Throughput (input text)", "MB/s"},
      {560, 50, 370, 300, "Memory (peak RSS per document)", "bytes/doc"},
  };
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << width / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">"
      << "neardup cluster on gen_planted corpora (" << Escape(date) << "; " << Escape(machine)
      << ")</text>\n";
  for (int pi = 0; pi < 2; ++pi) {
    const Panel& p = panels[pi];
    const double max_y = pi == 0 ? max_mbs : max_bpd;
    const double step = NiceStep(max_y * 1.05);
    const double top = std::ceil(max_y * 1.05 / step) * step;
    auto px = [&](double docs) { return p.x0 + (std::log10(docs) - lo) / (hi - lo) * p.width; };
    auto py = [&](double v) { return p.y0 + p.height - v / top * p.height; };
    svg << "<text x=\"" << p.x0 + p.width / 2 << "\" y=\"" << p.y0 - 10
        << "\" text-anchor=\"middle\" font-size=\"13\">" << p.title << "</text>\n";
    // Grid and ticks.
    for (double v = 0; v <= top + step / 2; v += step) {
      svg << "<line x1=\"" << p.x0 << "\" y1=\"" << py(v) << "\" x2=\"" << p.x0 + p.width
          << "\" y2=\"" << py(v) << "\" stroke=\"#ddd\"/>\n"
          << "<text x=\"" << p.x0 - 6 << "\" y=\"" << py(v) + 4 << "\" text-anchor=\"end\">"
          << Num(v) << "</text>\n";
    }
    for (double e = lo; e <= hi + 1e-9; e += 1) {
      const double x = px(std::pow(10.0, e));
      svg << "<line x1=\"" << x << "\" y1=\"" << p.y0 << "\" x2=\"" << x << "\" y2=\""
          << p.y0 + p.height << "\" stroke=\"#ddd\"/>\n"
          << "<text x=\"" << x << "\" y=\"" << p.y0 + p.height + 16 << "\" text-anchor=\"middle\">"
          << Num(std::pow(10.0, e)) << "</text>\n";
    }
    svg << "<rect x=\"" << p.x0 << "\" y=\"" << p.y0 << "\" width=\"" << p.width << "\" height=\""
        << p.height << "\" fill=\"none\" stroke=\"#333\"/>\n"
        << "<text x=\"" << p.x0 + p.width / 2 << "\" y=\"" << p.y0 + p.height + 34
        << "\" text-anchor=\"middle\">documents (log scale)</text>\n"
        << "<text transform=\"translate(" << p.x0 - 48 << "," << p.y0 + p.height / 2
        << ") rotate(-90)\" text-anchor=\"middle\">" << p.y_label << "</text>\n";
    if (pi == 1 && top >= 1024) {
      svg << "<line x1=\"" << p.x0 << "\" y1=\"" << py(1024) << "\" x2=\"" << p.x0 + p.width
          << "\" y2=\"" << py(1024) << "\" stroke=\"#888\" stroke-dasharray=\"6 4\"/>\n"
          << "<text x=\"" << p.x0 + p.width - 4 << "\" y=\"" << py(1024) - 4
          << "\" text-anchor=\"end\" fill=\"#555\">1 KB per document</text>\n";
    }
    std::size_t color = 0;
    for (const auto& [name, points] : series) {
      const char* stroke = kColors[color++ % (sizeof(kColors) / sizeof(kColors[0]))];
      svg << "<polyline fill=\"none\" stroke=\"" << stroke << "\" stroke-width=\"2\" points=\"";
      for (const Point& pt : points) {
        svg << px(pt.docs) << "," << py(pi == 0 ? pt.mb_per_s : pt.bytes_per_doc) << " ";
      }
      svg << "\"/>\n";
      for (const Point& pt : points) {
        svg << "<circle cx=\"" << px(pt.docs) << "\" cy=\""
            << py(pi == 0 ? pt.mb_per_s : pt.bytes_per_doc) << "\" r=\"3.5\" fill=\"" << stroke
            << "\"/>\n";
      }
    }
  }
  // Legend under the panels.
  double lx = 70;
  std::size_t color = 0;
  for (const auto& [name, points] : series) {
    const char* stroke = kColors[color++ % (sizeof(kColors) / sizeof(kColors[0]))];
    svg << "<line x1=\"" << lx << "\" y1=\"415\" x2=\"" << lx + 24 << "\" y2=\"415\" stroke=\""
        << stroke << "\" stroke-width=\"2\"/>\n"
        << "<circle cx=\"" << lx + 12 << "\" cy=\"415\" r=\"3.5\" fill=\"" << stroke << "\"/>\n"
        << "<text x=\"" << lx + 30 << "\" y=\"419\">" << Escape(name) << "</text>\n";
    lx += 40 + 7.0 * static_cast<double>(name.size());
  }
  svg << "</svg>\n";
  std::ofstream out(argv[2]);
  out << svg.str();
  if (!out) {
    std::cerr << "svg_chart: cannot write " << argv[2] << "\n";
    return 3;
  }
  return 0;
}

#include "svg_plot.h"

#include <cmath>
#include <cstdio>

namespace exposure::sim {
namespace {

constexpr double kWidth = 640, kHeight = 420, kLeft = 70, kRight = 20, kTop = 40, kBottom = 60;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

double px(const Chart& c, double x) { return kLeft + (x - c.x_min) / (c.x_max - c.x_min) * (kWidth - kLeft - kRight); }
double py(const Chart& c, double y) { return kHeight - kBottom - (y - c.y_min) / (c.y_max - c.y_min) * (kHeight - kTop - kBottom); }

double nice_step(double span) {
  double raw = span / 6, mag = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= m * mag) return m * mag;
  }
  return 10 * mag;
}

std::string frame(const Chart& c, const std::vector<Series>& series) {
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) +
                  "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + num(kWidth / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" + escape(c.title) + "</text>\n";
  for (int axis = 0; axis < 2; ++axis) {
    double lo = axis ? c.y_min : c.x_min, hi = axis ? c.y_max : c.x_max, st = nice_step(hi - lo);
    for (double v = std::ceil(lo / st) * st; v <= hi + st * 1e-9; v += st) {
      if (axis == 0) {
        s += "<line x1=\"" + num(px(c, v)) + "\" y1=\"" + num(kTop) + "\" x2=\"" + num(px(c, v)) + "\" y2=\"" +
             num(kHeight - kBottom) + "\" stroke=\"#ddd\"/><text x=\"" + num(px(c, v)) + "\" y=\"" +
             num(kHeight - kBottom + 16) + "\" text-anchor=\"middle\">" + num(v) + "</text>\n";
      } else {
        s += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(py(c, v)) + "\" x2=\"" + num(kWidth - kRight) + "\" y2=\"" +
             num(py(c, v)) + "\" stroke=\"#ddd\"/><text x=\"" + num(kLeft - 6) + "\" y=\"" + num(py(c, v) + 4) +
             "\" text-anchor=\"end\">" + num(v) + "</text>\n";
      }
    }
  }
  s += "<rect x=\"" + num(kLeft) + "\" y=\"" + num(kTop) + "\" width=\"" + num(kWidth - kLeft - kRight) + "\" height=\"" +
       num(kHeight - kTop - kBottom) + "\" fill=\"none\" stroke=\"black\"/>\n";
  s += "<text x=\"" + num((kLeft + kWidth - kRight) / 2) + "\" y=\"" + num(kHeight - 18) + "\" text-anchor=\"middle\">" +
       escape(c.x_label) + "</text>\n";
  s += "<text transform=\"translate(16," + num((kTop + kHeight - kBottom) / 2) +
       ") rotate(-90)\" text-anchor=\"middle\">" + escape(c.y_label) + "</text>\n";
  for (size_t i = 0; i < series.size(); ++i) {
    double y = kTop + 14 + 16 * static_cast<double>(i);
    s += "<rect x=\"" + num(kWidth - kRight - 170) + "\" y=\"" + num(y - 9) + "\" width=\"10\" height=\"10\" fill=\"" +
         series[i].color + "\"/><text x=\"" + num(kWidth - kRight - 155) + "\" y=\"" + num(y) + "\">" +
         escape(series[i].name) + "</text>\n";
  }
  return s;
}

double clamp_to(double v, double lo, double hi) { return v < lo ? lo : (v > hi ? hi : v); }

}  // namespace

std::string svg_scatter(const Chart& c, const std::vector<Series>& series) {
  std::string s = frame(c, series);
  for (const Series& se : series) {
    for (size_t i = 0; i < se.x.size(); ++i) {
      s += "<circle cx=\"" + num(px(c, clamp_to(se.x[i], c.x_min, c.x_max))) + "\" cy=\"" +
           num(py(c, clamp_to(se.y[i], c.y_min, c.y_max))) + "\" r=\"1.6\" fill=\"" + se.color +
           "\" fill-opacity=\"0.5\"/>\n";
    }
  }
  return s + "</svg>\n";
}

std::string svg_lines(const Chart& c, const std::vector<Series>& series) {
  std::string s = frame(c, series);
  for (const Series& se : series) {
    s += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + se.color + "\" points=\"";
    for (size_t i = 0; i < se.x.size(); ++i) {
      s += num(px(c, clamp_to(se.x[i], c.x_min, c.x_max))) + "," + num(py(c, clamp_to(se.y[i], c.y_min, c.y_max))) + " ";
    }
    s += "\"/>\n";
  }
  return s + "</svg>\n";
}

std::string svg_bars(const Chart& c, const std::vector<Series>& series, double bin_width) {
  std::string s = frame(c, series);
  for (const Series& se : series) {
    for (size_t i = 0; i < se.x.size(); ++i) {
      double x0 = px(c, se.x[i]), x1 = px(c, se.x[i] + bin_width), y = py(c, clamp_to(se.y[i], c.y_min, c.y_max));
      s += "<rect x=\"" + num(x0) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(0.5, x1 - x0 - 1)) +
           "\" height=\"" + num(kHeight - kBottom - y) + "\" fill=\"" + se.color + "\" fill-opacity=\"0.55\"/>\n";
    }
  }
  return s + "</svg>\n";
}

}  // namespace exposure::sim

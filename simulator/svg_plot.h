// Minimal SVG charts written as text (no plotting dependency): scatter plots, overlaid
// histograms and line charts with axes, ticks, labels and a legend.
#pragma once

#include <string>
#include <vector>

namespace exposure::sim {

struct Series {
  std::string name;
  std::string color;  // CSS color
  std::vector<double> x, y;
};

struct Chart {
  std::string title, x_label, y_label;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
};

// Points (scatter), one circle each.
std::string svg_scatter(const Chart& chart, const std::vector<Series>& series);
// Polylines through the points in order.
std::string svg_lines(const Chart& chart, const std::vector<Series>& series);
// Bars: series[i].x are bin left edges of width `bin_width`, y the heights; series overlap
// with transparency.
std::string svg_bars(const Chart& chart, const std::vector<Series>& series, double bin_width);

}  // namespace exposure::sim

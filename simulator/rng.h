// Deterministic random numbers for the simulation: a SplitMix64 generator seeded from the
// run seed and the identifiers of what is drawn (day, device, contact), so every draw is
// reproducible and independent of thread scheduling and of the order of computation.
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace exposure::sim {

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class Rng {
 public:
  // A stream for the seed and a tuple of identifiers.
  Rng(uint64_t seed, std::initializer_list<uint64_t> ids) : state_(splitmix64(seed)) {
    for (uint64_t id : ids) state_ = splitmix64(state_ ^ splitmix64(id + 0x51ED27u));
  }
  uint64_t next() { return state_ = splitmix64(state_), state_; }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [lo, hi].
  int64_t integer(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }
  double gaussian(double sigma) {
    double u1 = uniform(), u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return sigma * std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double exponential(double mean) { return -mean * std::log(1 - uniform()); }
  uint32_t poisson(double mean) {
    double l = std::exp(-mean), p = 1;
    uint32_t k = 0;
    do {
      ++k;
      p *= uniform();
    } while (p > l && k < 1000);
    return k - 1;
  }

 private:
  uint64_t state_;
};

}  // namespace exposure::sim

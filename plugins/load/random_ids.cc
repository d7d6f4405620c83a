#include "random_ids.h"

#include <algorithm>
#include <cmath>

namespace rig_load {
namespace {

constexpr double kZipfTheta = 0.8;
constexpr double kParetoH = 0.2;
constexpr int kGaussianDraws = 12;
constexpr double kSpecialPercent = 1;   // sysbench's --rand-spec-pct
constexpr double kSpecialShare = 0.75;  // sysbench's --rand-spec-res, as a share

double zeta(int64_t n, double theta) {
  double sum = 0;
  for (int64_t i = 1; i <= n; ++i) sum += 1.0 / std::pow(static_cast<double>(i), theta);
  return sum;
}

}  // namespace

std::optional<Distribution> parse_distribution(const std::string& name) {
  if (name == "uniform") return Distribution::kUniform;
  if (name == "gaussian") return Distribution::kGaussian;
  if (name == "pareto") return Distribution::kPareto;
  if (name == "zipfian") return Distribution::kZipfian;
  if (name == "special") return Distribution::kSpecial;
  return std::nullopt;
}

RandomIds::RandomIds(Distribution distribution, int64_t rows, uint64_t seed)
    : distribution_(distribution), rows_(std::max<int64_t>(rows, 1)), engine_(seed) {
  if (distribution_ == Distribution::kZipfian) {
    zeta_n_ = zeta(rows_, kZipfTheta);
    alpha_ = 1.0 / (1.0 - kZipfTheta);
    const double zeta_2 = zeta(2, kZipfTheta);
    eta_ = (1.0 - std::pow(2.0 / static_cast<double>(rows_), 1.0 - kZipfTheta)) /
           (1.0 - zeta_2 / zeta_n_);
  }
}

int64_t RandomIds::uniform(int64_t low, int64_t high) {
  return low + static_cast<int64_t>(engine_.below(static_cast<uint64_t>(high - low) + 1));
}

int64_t RandomIds::gaussian() {
  int64_t sum = 0;
  for (int i = 0; i < kGaussianDraws; ++i) sum += uniform(1, rows_);
  return std::clamp<int64_t>(sum / kGaussianDraws, 1, rows_);
}

int64_t RandomIds::next() {
  switch (distribution_) {
    case Distribution::kUniform: return uniform(1, rows_);
    case Distribution::kGaussian: return gaussian();
    case Distribution::kSpecial: {
      const double u = unit();
      if (u < 1 - kSpecialShare) return gaussian();
      // u, in [1 - share, 1), is also the position in the window.
      const double span = static_cast<double>(rows_ - 1);
      const double window = span * kSpecialPercent / 100;
      const auto id = 1 + static_cast<int64_t>(u * (window + 1) + span / 2 - window / 2);
      return std::clamp<int64_t>(id, 1, rows_);
    }
    case Distribution::kPareto: {
      const double power = std::log(kParetoH) / std::log(1.0 - kParetoH);
      auto id = 1 + static_cast<int64_t>(static_cast<double>(rows_) * std::pow(unit(), power));
      return std::clamp<int64_t>(id, 1, rows_);
    }
    case Distribution::kZipfian: {
      const double u = unit();
      const double uz = u * zeta_n_;
      if (uz < 1.0) return 1;
      if (uz < 1.0 + std::pow(0.5, kZipfTheta)) return 2;
      auto id = 1 + static_cast<int64_t>(static_cast<double>(rows_) *
                                         std::pow(eta_ * u - eta_ + 1.0, alpha_));
      return std::clamp<int64_t>(id, 1, rows_);
    }
  }
  return 1;
}

}  // namespace rig_load

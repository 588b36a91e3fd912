#pragma once
/// @file preset.h
/// The preset: a design, a small network, two free weights and a dropout
/// configuration, as read from the JSON preset format (docs/preset-format.md).

#include <nlohmann/json.hpp>

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

namespace manifoldlens {

/// Activation of a hidden layer.
enum class Activation { Identity, Tanh, Sigmoid, Softplus };

/// How the per-mask predictive distributions are combined.
enum class Aggregation { Arithmetic, Geometric };

/// One hidden layer: its width and activation.
struct HiddenLayer {
    int units = 1;
    Activation activation = Activation::Identity;
};

/// A reference to one scalar weight of the network.
/// layer 0..L-1 are hidden layers (hidden1..hiddenL), layer L is the output.
/// A bias entry has isBias = true and col = 0.
struct WeightRef {
    int layer = 0;
    bool isBias = false;
    int row = 0;
    int col = 0;
};

/// One of the two free weights that parametrise the manifold.
struct FreeWeight {
    WeightRef ref;
    std::string name;   ///< as written in the preset, e.g. "output[0][1]"
    std::string label;  ///< axis label, e.g. "w1"
    double lo = 0.0;
    double hi = 1.0;
};

/// A dense row-major matrix of doubles.
struct Matrix {
    int rows = 0;
    int cols = 0;
    std::vector<double> data;

    Matrix() = default;
    Matrix(int r, int c) : rows(r), cols(c), data(static_cast<std::size_t>(r) * static_cast<std::size_t>(c), 0.0) {}
    double& operator()(int r, int c) { return data[static_cast<std::size_t>(r * cols + c)]; }
    double operator()(int r, int c) const { return data[static_cast<std::size_t>(r * cols + c)]; }
};

/// The dropout configuration. sites[s] is true when site s is masked:
/// site 0 is the input, site l (1..L) is the output of hidden layer l.
struct DropoutSpec {
    std::vector<bool> sites;
    double rate = 0.0;
    Aggregation aggregation = Aggregation::Arithmetic;
};

/// A validated preset. Every invariant of docs/preset-format.md holds:
/// shapes match, numbers are finite, the free weights are distinct and exist.
struct Preset {
    std::string name;
    std::string title;
    std::string description;
    Matrix design;                    ///< N x d, one design point per row
    std::vector<HiddenLayer> hidden;  ///< 0..3 layers
    int outputs = 1;                  ///< number of logits: 1 (Bernoulli) or K (categorical)
    bool bernoulli = true;
    /// weights[l] is the weight matrix into layer l (l = L is the output layer),
    /// biases[l] its bias vector.
    std::vector<Matrix> weights;
    std::vector<std::vector<double>> biases;
    std::array<FreeWeight, 2> free;
    DropoutSpec dropout;
    nlohmann::json view;  ///< display choices, ignored by the math

    /// Number of design points N.
    int designPoints() const { return design.rows; }
    /// Number of classes per design point: 2 for Bernoulli, K for categorical.
    int classes() const { return bernoulli ? 2 : outputs; }
    /// Width of layer l's input: d for l = 0, hidden[l-1].units otherwise.
    int siteWidth(int site) const;
    /// The widths of every layer's input and of the logits: d, the hidden units, outputs.
    std::vector<int> layerWidths() const;
    /// Number of units at masked sites (the exponent in 2^U masks).
    int maskedUnits() const;
    /// Whether dropout applies anywhere (a rate has an effect).
    bool hasDropoutSites() const { return maskedUnits() > 0; }
};

/// A validation failure. path() is the JSON key path of the offending value
/// (e.g. "network.hidden[1].activation"), what() and message() say what is
/// wrong (the message alone, without the path).
class PresetError : public std::runtime_error {
public:
    PresetError(std::string path, const std::string& message);
    const std::string& path() const { return path_; }
    const std::string& message() const { return message_; }

private:
    std::string path_;
    std::string message_;
};

/// Parses and validates a preset from JSON text. Throws PresetError naming the
/// key path of the first problem found (a JSON syntax error has path "").
Preset parsePreset(const std::string& text);

/// Validates an already parsed JSON value as a preset; throws PresetError.
Preset presetFromJson(const nlohmann::json& value);

/// Serialises a preset back to the JSON format (round-trips through parsePreset).
nlohmann::json presetToJson(const Preset& preset);

/// The largest number of classes of a categorical output.
inline constexpr int kMaxClasses = 8;

/// The largest number of masked units for which masks are enumerated exactly.
inline constexpr int kMaxMaskedUnits = 20;

/// Parses "output[0][1]", "hidden2_bias[3]" etc. against the network shape.
/// Throws PresetError with the given path when the name is malformed or out of range.
WeightRef parseWeightName(const std::string& name, const Preset& shape, const std::string& path);

std::string activationName(Activation a);
std::string aggregationName(Aggregation a);

}  // namespace manifoldlens

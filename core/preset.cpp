#include "preset.h"

#include "preset_detail.h"

#include <charconv>
#include <set>
#include <utility>

namespace manifoldlens {

namespace detail {

std::string formatNumber(double x) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string(buffer, result.ptr);
}

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            constexpr char kHex[] = "0123456789abcdef";
            out += "\\u00";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

std::string childPath(const std::string& path, std::string_view key) {
    return path.empty() ? printable(key) : path + "." + printable(key);
}

std::string elementPath(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

std::string quote(const std::string& s) {
    constexpr std::size_t kMaxShown = 40;
    std::string out(1, '\'');
    out += printable(std::string_view(s).substr(0, kMaxShown));
    if (s.size() > kMaxShown) out += "...";
    out += '\'';
    return out;
}

std::string layerName(int layer, int hiddenLayers) {
    return layer == hiddenLayers ? "output" : "hidden" + std::to_string(layer + 1);
}

std::string siteName(int site) { return site == 0 ? "input" : "hidden" + std::to_string(site); }

}  // namespace detail

namespace {

using json = nlohmann::json;
using detail::childPath;
using detail::elementPath;
using detail::layerName;
using detail::quote;
using detail::siteName;

std::string weightName(const WeightRef& ref, int hiddenLayers) {
    std::string name = layerName(ref.layer, hiddenLayers);
    if (ref.isBias) return name + "_bias[" + std::to_string(ref.row) + "]";
    return name + "[" + std::to_string(ref.row) + "][" + std::to_string(ref.col) + "]";
}

bool isZero(const std::vector<double>& values) {
    for (const double x : values)
        if (x != 0.0) return false;
    return true;
}

json matrixToJson(const Matrix& m) {
    json rows = json::array();
    for (int r = 0; r < m.rows; ++r) {
        json row = json::array();
        for (int c = 0; c < m.cols; ++c) row.push_back(m(r, c));
        rows.push_back(std::move(row));
    }
    return rows;
}

/// Objects and arrays may nest this deep (a preset needs four levels; the
/// free-form "view" gets the rest), so that no deeper document reaches the
/// recursive copies and comparisons of nlohmann::json.
constexpr std::size_t kMaxNesting = 64;

/// Tracks the key path while parsing, so that a duplicate key (which
/// nlohmann::json would otherwise resolve silently to the last value), a
/// number too large for a double and nesting beyond kMaxNesting can be
/// reported where they occur.
class KeyPathTracker {
public:
    /// The path of the value being parsed (the innermost open key or element).
    std::string currentPath() const { return pathOf(frames_.size()); }

    /// A parser callback sharing this tracker's state.
    json::parser_callback_t callback() {
        return [this](int /*depth*/, json::parse_event_t event, json& parsed) { return handle(event, parsed); };
    }

private:
    struct Frame {
        bool object;
        std::set<std::string> keys;
        std::string key;
        std::size_t index;
    };

    bool handle(json::parse_event_t event, json& parsed) {
        switch (event) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start:
            if (frames_.size() >= kMaxNesting)
                throw PresetError(currentPath(), "nested more than " + std::to_string(kMaxNesting) +
                                                     " levels deep (objects and arrays within one another)");
            frames_.push_back(Frame{event == json::parse_event_t::object_start, {}, {}, 0});
            break;
        case json::parse_event_t::key: {
            Frame& frame = frames_.back();
            std::string key = parsed.get<std::string>();
            if (!frame.keys.insert(key).second)
                throw PresetError(childPath(pathOf(frames_.size() - 1), key),
                                  "duplicate key " + quote(key) + " (each key may appear only once)");
            frame.key = std::move(key);
            break;
        }
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            frames_.pop_back();
            advance();
            break;
        case json::parse_event_t::value: advance(); break;
        }
        return true;
    }

    void advance() {
        if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    }

    /// The path through the first `depth` open frames.
    std::string pathOf(std::size_t depth) const {
        std::string path;
        for (std::size_t i = 0; i < depth; ++i)
            path = frames_[i].object ? childPath(path, frames_[i].key) : elementPath(path, frames_[i].index);
        return path;
    }

    std::vector<Frame> frames_;
};

std::string withoutExceptionId(const std::string& what) {
    const std::size_t bracket = what.find("] ");
    return what.rfind("[json.exception", 0) == 0 && bracket != std::string::npos ? what.substr(bracket + 2) : what;
}

}  // namespace

// ---- public API ---------------------------------------------------------------

PresetError::PresetError(std::string path, const std::string& message)
    : std::runtime_error(message), path_(std::move(path)), message_(message) {}

int Preset::siteWidth(int site) const {
    return site == 0 ? design.cols : hidden[static_cast<std::size_t>(site - 1)].units;
}

std::vector<int> Preset::layerWidths() const {
    std::vector<int> width{design.cols};
    for (const HiddenLayer& h : hidden) width.push_back(h.units);
    width.push_back(outputs);
    return width;
}

int Preset::maskedUnits() const {
    int total = 0;
    for (std::size_t s = 0; s < dropout.sites.size(); ++s)
        if (dropout.sites[s]) total += siteWidth(static_cast<int>(s));
    return total;
}

std::string activationName(Activation a) {
    switch (a) {
    case Activation::Identity: return "identity";
    case Activation::Tanh: return "tanh";
    case Activation::Sigmoid: return "sigmoid";
    case Activation::Softplus: return "softplus";
    }
    return "identity";
}

std::string aggregationName(Aggregation a) {
    return a == Aggregation::Geometric ? "geometric" : "arithmetic";
}

Preset parsePreset(const std::string& text) {
    json value;
    KeyPathTracker tracker;
    try {
        value = json::parse(text, tracker.callback());
    } catch (const json::parse_error& e) {
        throw PresetError("", "invalid JSON: " + withoutExceptionId(e.what()));
    } catch (const json::out_of_range& e) {
        // A number literal such as 1e999 that overflows a double (error 406).
        std::string message = withoutExceptionId(e.what());
        const std::size_t open = message.find('\'');
        const std::size_t close = message.rfind('\'');
        if (e.id == 406 && open != std::string::npos && close > open)
            message = "must be a finite number, got " + message.substr(open + 1, close - open - 1) +
                      ", which overflows a double";
        throw PresetError(tracker.currentPath(), message);
    } catch (const json::exception& e) {
        throw PresetError("", "invalid JSON: " + withoutExceptionId(e.what()));
    }
    return presetFromJson(value);
}

json presetToJson(const Preset& preset) {
    const int hiddenLayers = static_cast<int>(preset.hidden.size());
    json out = json::object();
    out["format"] = 1;
    out["name"] = preset.name;
    if (!preset.title.empty()) out["title"] = preset.title;
    if (!preset.description.empty()) out["description"] = preset.description;
    out["design"] = matrixToJson(preset.design);

    json network = json::object();
    if (hiddenLayers > 0) {
        json hidden = json::array();
        for (const auto& h : preset.hidden)
            hidden.push_back({{"units", h.units}, {"activation", activationName(h.activation)}});
        network["hidden"] = std::move(hidden);
    }
    network["output"] = preset.bernoulli ? json("bernoulli") : json({{"categorical", preset.outputs}});
    out["network"] = std::move(network);

    json weights = json::object();
    for (int l = 0; l <= hiddenLayers && l < static_cast<int>(preset.weights.size()); ++l) {
        const auto i = static_cast<std::size_t>(l);
        if (!isZero(preset.weights[i].data)) weights[layerName(l, hiddenLayers)] = matrixToJson(preset.weights[i]);
        if (i < preset.biases.size() && !isZero(preset.biases[i]))
            weights[layerName(l, hiddenLayers) + "_bias"] = preset.biases[i];
    }
    if (!weights.empty()) out["weights"] = std::move(weights);

    json free = json::array();
    for (const auto& f : preset.free)
        free.push_back({{"weight", weightName(f.ref, hiddenLayers)}, {"label", f.label}, {"range", {f.lo, f.hi}}});
    out["free"] = std::move(free);

    json sites = json::array();
    for (std::size_t s = 0; s < preset.dropout.sites.size(); ++s)
        if (preset.dropout.sites[s]) sites.push_back(siteName(static_cast<int>(s)));
    out["dropout"] = {{"sites", std::move(sites)},
                      {"rate", preset.dropout.rate},
                      {"aggregation", aggregationName(preset.dropout.aggregation)}};
    if (!preset.view.is_null()) out["view"] = preset.view;
    return out;
}

}  // namespace manifoldlens

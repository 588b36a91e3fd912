// Validation of the preset format (docs/preset-format.md): presetFromJson and
// parseWeightName. Every error names the key path of the offending value.

#include "preset.h"

#include "preset_detail.h"
#include "settings.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace manifoldlens {

namespace {

using json = nlohmann::json;
using detail::childPath;
using detail::elementPath;
using detail::formatNumber;
using detail::layerName;
using detail::quote;
using detail::siteName;

constexpr int kMaxHiddenLayers = 3;
constexpr int kMaxUnitsPerLayer = 1024;
constexpr int kMinCategories = 2;

/// A short description of a JSON value for "must be X, got Y" messages.
std::string describe(const json& v) {
    switch (v.type()) {
    case json::value_t::string: return "the string " + quote(v.get<std::string>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "the number " + formatNumber(v.get<double>());
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::null: return "null";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return v.type_name();
    }
}

[[noreturn]] void fail(const std::string& path, const std::string& message) {
    throw PresetError(path, message);
}

void expect(bool ok, const json& v, const std::string& path, const std::string& expected) {
    if (!ok) fail(path, "must be " + expected + ", got " + describe(v));
}

std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// "unknown key 'x'" with a suggestion when a valid key is a likely typo, else the list.
[[noreturn]] void failUnknownKey(const std::string& path, const std::string& key,
                                 const std::vector<std::string>& allowed) {
    std::string message = "unknown key " + quote(key);
    const std::string* closest = nullptr;
    std::size_t closestDistance = 3;  // suggest only within two edits
    for (const auto& candidate : allowed) {
        const std::size_t distance = editDistance(key, candidate);
        if (distance < closestDistance) {
            closest = &candidate;
            closestDistance = distance;
        }
    }
    if (closest) fail(childPath(path, key), message + " (did you mean '" + *closest + "'?)");
    std::string list;
    for (const auto& candidate : allowed) list += (list.empty() ? "" : ", ") + candidate;
    fail(childPath(path, key), message + (allowed.empty() ? "; no keys are allowed here" : "; allowed keys here: " + list));
}

void rejectUnknownKeys(const json& object, const std::string& path, std::initializer_list<const char*> allowed) {
    for (const auto& item : object.items()) {
        bool known = false;
        for (const char* key : allowed) known = known || item.key() == key;
        if (!known) failUnknownKey(path, item.key(), std::vector<std::string>(allowed.begin(), allowed.end()));
    }
}

const json* findKey(const json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const json& requireKey(const json& object, const std::string& path, const char* key) {
    const json* value = findKey(object, key);
    if (!value) fail(childPath(path, key), std::string("required key '") + key + "' is missing");
    return *value;
}

double finiteNumber(const json& v, const std::string& path) {
    expect(v.is_number(), v, path, "a number");
    const double x = v.get<double>();
    if (!std::isfinite(x)) fail(path, "must be a finite number, got " + formatNumber(x));
    return x;
}

/// An integer-valued number (2.0 is accepted as 2, 2.5 is not), in [lo, hi].
int integerIn(const json& v, const std::string& path, int lo, int hi) {
    const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    expect(v.is_number(), v, path, "an integer in " + range);
    const double x = v.get<double>();
    if (!std::isfinite(x) || x != std::floor(x) || x < lo || x > hi)
        fail(path, "must be an integer in " + range + ", got " + formatNumber(x));
    return static_cast<int>(x);
}

std::string stringValue(const json& v, const std::string& path) {
    expect(v.is_string(), v, path, "a string");
    return v.get<std::string>();
}

/// Parses a non-negative decimal integer without sign or leading zeros.
std::optional<int> parseIndex(std::string_view text) {
    if (text.empty() || text.size() > 9 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
    int value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

/// A layer key such as "hidden2", "hidden2_bias", "output" or "output_bias".
/// layer is 1-based for hidden layers and 0 for the output (resolved by the caller).
struct LayerKey {
    bool output = false;
    int hidden = 0;
    bool bias = false;
};

std::optional<LayerKey> parseLayerKey(std::string_view key) {
    LayerKey result;
    constexpr std::string_view kBias = "_bias";
    if (key.size() > kBias.size() && key.substr(key.size() - kBias.size()) == kBias) {
        result.bias = true;
        key.remove_suffix(kBias.size());
    }
    if (key == "output") {
        result.output = true;
        return result;
    }
    constexpr std::string_view kHidden = "hidden";
    if (key.substr(0, kHidden.size()) != kHidden) return std::nullopt;
    const auto number = parseIndex(key.substr(kHidden.size()));
    if (!number || *number == 0) return std::nullopt;
    result.hidden = *number;
    return result;
}

std::string layersPhrase(int hiddenLayers) {
    return hiddenLayers == 0 ? "no hidden layers"
                             : std::to_string(hiddenLayers) + " hidden layer" + (hiddenLayers == 1 ? "" : "s");
}

std::string countPhrase(int n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

/// The names of all weight keys of a network: hidden1, hidden1_bias, ..., output, output_bias.
std::vector<std::string> weightKeys(int hiddenLayers) {
    std::vector<std::string> keys;
    for (int l = 0; l <= hiddenLayers; ++l) {
        keys.push_back(layerName(l, hiddenLayers));
        keys.push_back(layerName(l, hiddenLayers) + "_bias");
    }
    return keys;
}

/// Resolves a layer key against the network: the layer index 0..L, or an error at path.
int resolveLayer(const LayerKey& key, int hiddenLayers, const std::string& path) {
    if (key.output) return hiddenLayers;
    if (key.hidden > hiddenLayers)
        fail(path, "there is no layer hidden" + std::to_string(key.hidden) + ": the network has " +
                       layersPhrase(hiddenLayers));
    return key.hidden - 1;
}

int layerRows(const Preset& p, int layer) {
    return layer < static_cast<int>(p.hidden.size()) ? p.hidden[static_cast<std::size_t>(layer)].units : p.outputs;
}

std::string unitsPhrase(int site) {
    return site == 0 ? "one per column of the design" : "one per unit of " + siteName(site);
}

// ---- the parts of the format ------------------------------------------------

Matrix parseDesign(const json& v, const std::string& path) {
    expect(v.is_array(), v, path, "an array of rows (one array of inputs per design point)");
    if (v.empty()) fail(path, "must have at least one row (design point)");
    const std::size_t cols = v[0].is_array() ? v[0].size() : 0;
    Matrix design(static_cast<int>(v.size()), static_cast<int>(cols));
    for (std::size_t i = 0; i < v.size(); ++i) {
        const json& row = v[i];
        const std::string rowPath = elementPath(path, i);
        expect(row.is_array(), row, rowPath, "an array of numbers (the inputs of one design point)");
        if (row.empty()) fail(rowPath, "must have at least one number (the input dimension d must be >= 1)");
        if (row.size() != cols)
            fail(rowPath, "has " + countPhrase(static_cast<int>(row.size()), "number") + " but " + elementPath(path, 0) +
                              " has " + std::to_string(cols) + "; all rows must have the same length");
        for (std::size_t j = 0; j < cols; ++j)
            design(static_cast<int>(i), static_cast<int>(j)) = finiteNumber(row[j], elementPath(rowPath, j));
    }
    return design;
}

Activation parseActivation(const json& v, const std::string& path) {
    const std::string name = stringValue(v, path);
    for (const Activation a : {Activation::Identity, Activation::Tanh, Activation::Sigmoid, Activation::Softplus})
        if (name == activationName(a)) return a;
    fail(path, "unknown activation " + quote(name) + "; expected identity, tanh, sigmoid or softplus");
}

void parseNetwork(const json& v, const std::string& path, Preset& p) {
    expect(v.is_object(), v, path, "an object with keys \"hidden\" and \"output\"");
    rejectUnknownKeys(v, path, {"hidden", "output"});
    if (const json* hidden = findKey(v, "hidden")) {
        const std::string hiddenPath = childPath(path, "hidden");
        expect(hidden->is_array(), *hidden, hiddenPath, "an array of hidden layers");
        if (hidden->size() > static_cast<std::size_t>(kMaxHiddenLayers))
            fail(hiddenPath, "at most " + std::to_string(kMaxHiddenLayers) + " hidden layers are supported, got " +
                                 std::to_string(hidden->size()));
        for (std::size_t l = 0; l < hidden->size(); ++l) {
            const json& layer = (*hidden)[l];
            const std::string layerPath = elementPath(hiddenPath, l);
            expect(layer.is_object(), layer, layerPath, "an object {\"units\": H, \"activation\": name}");
            rejectUnknownKeys(layer, layerPath, {"units", "activation"});
            HiddenLayer h;
            h.units = integerIn(requireKey(layer, layerPath, "units"), childPath(layerPath, "units"), 1, kMaxUnitsPerLayer);
            h.activation = parseActivation(requireKey(layer, layerPath, "activation"), childPath(layerPath, "activation"));
            p.hidden.push_back(h);
        }
    }
    const std::string outputPath = childPath(path, "output");
    const json& output = requireKey(v, path, "output");
    if (output.is_string() && output.get<std::string>() == "bernoulli") {
        p.bernoulli = true;
        p.outputs = 1;
    } else if (output.is_object()) {
        rejectUnknownKeys(output, outputPath, {"categorical"});
        p.bernoulli = false;
        p.outputs = integerIn(requireKey(output, outputPath, "categorical"), childPath(outputPath, "categorical"),
                              kMinCategories, kMaxClasses);
    } else {
        fail(outputPath, "must be \"bernoulli\" or {\"categorical\": K}, got " + describe(output));
    }
}

std::vector<double> parseVector(const json& v, const std::string& path, int size, const std::string& what) {
    const std::string expected = "an array of " + countPhrase(size, "number") + " (" + what + ")";
    expect(v.is_array(), v, path, expected);
    if (v.size() != static_cast<std::size_t>(size))
        fail(path, "must have " + countPhrase(size, "number") + " (" + what + "), got " + std::to_string(v.size()));
    std::vector<double> out(static_cast<std::size_t>(size));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = finiteNumber(v[i], elementPath(path, i));
    return out;
}

Matrix parseMatrix(const json& v, const std::string& path, const Preset& p, int layer) {
    const int rows = layerRows(p, layer);
    const int cols = p.siteWidth(layer);
    const std::string rowWhat = "one per unit of " + layerName(layer, static_cast<int>(p.hidden.size()));
    expect(v.is_array(), v, path, "an array of " + countPhrase(rows, "row") + " (" + rowWhat + ")");
    if (v.size() != static_cast<std::size_t>(rows))
        fail(path, "must have " + countPhrase(rows, "row") + " (" + rowWhat + "), got " + std::to_string(v.size()));
    Matrix m(rows, cols);
    for (int r = 0; r < rows; ++r) {
        const auto row = parseVector(v[static_cast<std::size_t>(r)], elementPath(path, static_cast<std::size_t>(r)), cols,
                                     unitsPhrase(layer));
        for (int c = 0; c < cols; ++c) m(r, c) = row[static_cast<std::size_t>(c)];
    }
    return m;
}

void parseWeights(const json* v, const std::string& path, Preset& p) {
    const int hiddenLayers = static_cast<int>(p.hidden.size());
    for (int l = 0; l <= hiddenLayers; ++l) {
        p.weights.emplace_back(layerRows(p, l), p.siteWidth(l));
        p.biases.emplace_back(static_cast<std::size_t>(layerRows(p, l)), 0.0);
    }
    if (!v) return;
    expect(v->is_object(), *v, path, "an object of weight matrices and bias vectors");
    for (const auto& item : v->items()) {
        const std::string keyPath = childPath(path, item.key());
        const auto key = parseLayerKey(item.key());
        if (!key) failUnknownKey(path, item.key(), weightKeys(hiddenLayers));
        const int layer = resolveLayer(*key, hiddenLayers, keyPath);
        const auto l = static_cast<std::size_t>(layer);
        if (key->bias)
            p.biases[l] = parseVector(item.value(), keyPath, layerRows(p, layer),
                                      "one per unit of " + layerName(layer, hiddenLayers));
        else
            p.weights[l] = parseMatrix(item.value(), keyPath, p, layer);
    }
}

void parseFree(const json& v, const std::string& path, Preset& p) {
    expect(v.is_array(), v, path, "an array of exactly two free weights");
    if (v.size() != 2)
        fail(path, "must have exactly two entries (the two free weights that span the manifold), got " +
                       std::to_string(v.size()));
    for (std::size_t i = 0; i < 2; ++i) {
        const json& entry = v[i];
        const std::string entryPath = elementPath(path, i);
        expect(entry.is_object(), entry, entryPath, "an object {\"weight\": name, \"label\": text, \"range\": [lo, hi]}");
        rejectUnknownKeys(entry, entryPath, {"weight", "label", "range"});
        FreeWeight& f = p.free[i];
        const std::string weightPath = childPath(entryPath, "weight");
        f.name = stringValue(requireKey(entry, entryPath, "weight"), weightPath);
        f.ref = parseWeightName(f.name, p, weightPath);
        if (i == 1) {
            const WeightRef& a = p.free[0].ref;
            const WeightRef& b = f.ref;
            if (a.layer == b.layer && a.isBias == b.isBias && a.row == b.row && a.col == b.col)
                fail(weightPath, "names the same weight as free[0].weight (" + quote(p.free[0].name) +
                                     "); the two free weights must be distinct");
        }
        f.label = f.name;
        if (const json* label = findKey(entry, "label")) {
            f.label = stringValue(*label, childPath(entryPath, "label"));
            if (f.label.empty()) fail(childPath(entryPath, "label"), "must not be empty (omit it to use the weight name)");
        }
        const std::string rangePath = childPath(entryPath, "range");
        const json& range = requireKey(entry, entryPath, "range");
        expect(range.is_array() && range.size() == 2, range, rangePath, "an array [lo, hi] of two numbers");
        f.lo = finiteNumber(range[0], elementPath(rangePath, 0));
        f.hi = finiteNumber(range[1], elementPath(rangePath, 1));
        if (auto problem = checkWeightRange(f.lo, f.hi)) fail(rangePath, *problem);
    }
}

std::optional<Aggregation> aggregationFromName(const std::string& name) {
    for (const Aggregation a : {Aggregation::Arithmetic, Aggregation::Geometric})
        if (name == aggregationName(a)) return a;
    return std::nullopt;
}

void parseDropout(const json* v, const std::string& path, Preset& p) {
    const int hiddenLayers = static_cast<int>(p.hidden.size());
    p.dropout.sites.assign(static_cast<std::size_t>(hiddenLayers + 1), false);
    if (!v) return;
    expect(v->is_object(), *v, path, "an object {\"sites\": [...], \"rate\": r, \"aggregation\": name}");
    rejectUnknownKeys(*v, path, {"sites", "rate", "aggregation"});
    const std::string sitesPath = childPath(path, "sites");
    if (const json* sites = findKey(*v, "sites")) {
        expect(sites->is_array(), *sites, sitesPath, "an array of site names (\"input\", \"hidden1\", ...)");
        std::string known = "input";
        for (int s = 1; s <= hiddenLayers; ++s) known += ", " + siteName(s);
        for (std::size_t i = 0; i < sites->size(); ++i) {
            const std::string sitePath = elementPath(sitesPath, i);
            const std::string name = stringValue((*sites)[i], sitePath);
            int site = -1;
            for (int s = 0; s <= hiddenLayers; ++s)
                if (name == siteName(s)) site = s;
            if (site < 0) fail(sitePath, "unknown site " + quote(name) + "; the sites of this network are " + known);
            if (p.dropout.sites[static_cast<std::size_t>(site)])
                fail(sitePath, "site " + quote(name) + " is listed twice");
            p.dropout.sites[static_cast<std::size_t>(site)] = true;
        }
    }
    if (const json* rate = findKey(*v, "rate")) {
        const std::string ratePath = childPath(path, "rate");
        p.dropout.rate = finiteNumber(*rate, ratePath);
        if (p.dropout.rate < 0.0 || p.dropout.rate >= 1.0)
            fail(ratePath, "must be in [0, 1), got " + formatNumber(p.dropout.rate));
    }
    if (const json* aggregation = findKey(*v, "aggregation")) {
        const std::string aggregationPath = childPath(path, "aggregation");
        const std::string name = stringValue(*aggregation, aggregationPath);
        const auto parsed = aggregationFromName(name);
        if (!parsed) fail(aggregationPath, "unknown aggregation " + quote(name) + "; expected arithmetic or geometric");
        p.dropout.aggregation = *parsed;
    }
    const int masked = p.maskedUnits();
    if (masked > kMaxMaskedUnits)
        fail(sitesPath, "the listed sites have U = " + std::to_string(masked) + " units in total, more than " +
                            std::to_string(kMaxMaskedUnits) + ": the dropout masks are enumerated exactly (2^U of them), " +
                            "so U must be at most " + std::to_string(kMaxMaskedUnits));
}

}  // namespace

WeightRef parseWeightName(const std::string& name, const Preset& shape, const std::string& path) {
    const std::string expected = "; expected e.g. output[0][1], hidden1[0][0], hidden1_bias[0] or output_bias[0]";
    const std::size_t open = name.find('[');
    const auto key = parseLayerKey(std::string_view(name).substr(0, open));
    if (!key || open == std::string::npos) fail(path, "malformed weight name " + quote(name) + expected);
    std::vector<int> indices;
    for (std::size_t pos = open; pos < name.size();) {
        const std::size_t close = name.find(']', pos);
        const auto index = name[pos] == '[' && close != std::string::npos
                               ? parseIndex(std::string_view(name).substr(pos + 1, close - pos - 1))
                               : std::nullopt;
        if (!index) fail(path, "malformed weight name " + quote(name) + expected);
        indices.push_back(*index);
        pos = close + 1;
    }
    const int hiddenLayers = static_cast<int>(shape.hidden.size());
    const std::string base = name.substr(0, open);
    const std::size_t wanted = key->bias ? 1 : 2;
    if (indices.size() != wanted)
        fail(path, "malformed weight name " + quote(name) + ": " + base + " takes " +
                       (key->bias ? "one index [row]" : "two indices [row][col]"));
    WeightRef ref;
    ref.layer = resolveLayer(*key, hiddenLayers, path);
    ref.isBias = key->bias;
    ref.row = indices[0];
    ref.col = key->bias ? 0 : indices[1];
    const int rows = layerRows(shape, ref.layer);
    if (ref.row >= rows)
        fail(path, "row index " + std::to_string(ref.row) + " in " + quote(name) + " is out of range: " +
                       layerName(ref.layer, hiddenLayers) + " has " + countPhrase(rows, "unit"));
    const int cols = shape.siteWidth(ref.layer);
    if (!key->bias && ref.col >= cols)
        fail(path, "column index " + std::to_string(ref.col) + " in " + quote(name) + " is out of range: " + base +
                       " has " + countPhrase(cols, "column") + " (" + unitsPhrase(ref.layer) + ")");
    return ref;
}

Preset presetFromJson(const json& value) {
    if (!value.is_object()) fail("", "a preset must be a JSON object, got " + describe(value));
    rejectUnknownKeys(value, "",
                      {"format", "name", "title", "description", "design", "network", "weights", "free", "dropout", "view"});
    Preset p;
    const json& format = requireKey(value, "", "format");
    expect(format.is_number(), format, "format", "the integer 1");
    if (format.get<double>() != 1.0)
        fail("format", "must be 1 (the only format version this program reads), got " + formatNumber(format.get<double>()));

    p.name = stringValue(requireKey(value, "", "name"), "name");
    if (p.name.empty()) fail("name", "must not be empty; use lowercase letters, digits and hyphens");
    for (const char c : p.name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            fail("name", "must consist of lowercase letters, digits and hyphens ([a-z0-9-]+), got " + quote(p.name));
    if (const json* title = findKey(value, "title")) p.title = stringValue(*title, "title");
    if (const json* description = findKey(value, "description")) p.description = stringValue(*description, "description");

    p.design = parseDesign(requireKey(value, "", "design"), "design");
    parseNetwork(requireKey(value, "", "network"), "network", p);
    parseWeights(findKey(value, "weights"), "weights", p);
    parseFree(requireKey(value, "", "free"), "free", p);
    parseDropout(findKey(value, "dropout"), "dropout", p);
    if (const json* view = findKey(value, "view")) {
        expect(view->is_object(), *view, "view", "an object (display choices)");
        p.view = *view;
    }
    return p;
}

}  // namespace manifoldlens

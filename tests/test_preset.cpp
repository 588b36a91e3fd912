// Tests of the preset format: validation errors with their key paths, the
// built-in presets, serialisation round trips and weight names.

#include "builtin_presets.h"
#include "preset.h"

#include <QtTest/QtTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>

using manifoldlens::Activation;
using manifoldlens::Aggregation;
using manifoldlens::Preset;
using manifoldlens::PresetError;
using manifoldlens::WeightRef;
using nlohmann::json;

namespace {

/// A valid preset exercising every key: two hidden layers, categorical output,
/// explicit weights, a bias as free weight, two dropout sites and a view.
const char* const kBase = R"({
  "format": 1,
  "name": "test-preset",
  "title": "A test preset",
  "description": "Every key of the format.",
  "design": [[1.0, 0.5], [-0.5, 2.0], [0.0, 1.0]],
  "network": {
    "hidden": [{"units": 2, "activation": "tanh"}, {"units": 3, "activation": "softplus"}],
    "output": {"categorical": 3}
  },
  "weights": {
    "hidden1": [[0.1, 0.2], [0.3, 0.4]],
    "hidden1_bias": [0.5, -0.5],
    "hidden2": [[1, 2], [3, 4], [5, 6]],
    "output": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    "output_bias": [0.1, 0.2, 0.3]
  },
  "free": [
    {"weight": "output[0][1]", "label": "a", "range": [-2, 2]},
    {"weight": "hidden1_bias[1]", "range": [-1, 3]}
  ],
  "dropout": {"sites": ["input", "hidden2"], "rate": 0.25, "aggregation": "geometric"},
  "view": {"colormap": "viridis", "azimuth": 30}
})";

json base() { return json::parse(kBase); }

const std::string kPlaceholder = "\"@@\"";

/// The text of the base preset after a JSON patch.
std::string patchedText(const QString& patchText) {
    return base().patch(json::parse(patchText.toStdString())).dump();
}

std::string errorPath(const std::string& text) {
    try {
        manifoldlens::parsePreset(text);
    } catch (const PresetError& e) {
        return e.path();
    }
    return "<no error>";
}

/// "path: message", for failure output.
std::string shown(const PresetError& e) { return e.path() + ": " + e.message(); }

bool sameRef(const WeightRef& a, const WeightRef& b) {
    return a.layer == b.layer && a.isBias == b.isBias && a.row == b.row && a.col == b.col;
}

}  // namespace

class TestPreset : public QObject {
    Q_OBJECT

private slots:
    void baseIsValid();
    void defaultsWhenOptionalKeysAreMissing();
    void integralFloatsAreAcceptedAsIntegers();
    void maskedUnitsAtTheLimitAreAccepted();
    void errors_data();
    void errors();
    void nonFiniteValues_data();
    void nonFiniteValues();
    void rawTextErrors_data();
    void rawTextErrors();
    void errorCarriesPathAndMessage();
    void builtinNames();
    void logisticInputDropout();
    void singleHiddenUnit();
    void trinomialSimplex();
    void builtinNamesMatchTheirFiles();
    void roundTrip_data();
    void roundTrip();
    void roundTripKeepsExactNumbers();
    void parseWeightName_data();
    void parseWeightName();
    void parseWeightNameErrors_data();
    void parseWeightNameErrors();
    void enumNames();
};

void TestPreset::baseIsValid() {
    const Preset p = manifoldlens::parsePreset(kBase);
    QCOMPARE(p.name, std::string("test-preset"));
    QCOMPARE(p.title, std::string("A test preset"));
    QCOMPARE(p.description, std::string("Every key of the format."));
    QCOMPARE(p.design.rows, 3);
    QCOMPARE(p.design.cols, 2);
    QCOMPARE(p.design(1, 1), 2.0);
    QCOMPARE(p.design(1, 0), -0.5);
    QCOMPARE(p.designPoints(), 3);
    QCOMPARE(int(p.hidden.size()), 2);
    QCOMPARE(p.hidden[0].units, 2);
    QVERIFY(p.hidden[0].activation == Activation::Tanh);
    QCOMPARE(p.hidden[1].units, 3);
    QVERIFY(p.hidden[1].activation == Activation::Softplus);
    QVERIFY(!p.bernoulli);
    QCOMPARE(p.outputs, 3);
    QCOMPARE(p.classes(), 3);

    QCOMPARE(int(p.weights.size()), 3);
    QCOMPARE(int(p.biases.size()), 3);
    QCOMPARE(p.weights[0].rows, 2);
    QCOMPARE(p.weights[0].cols, 2);
    QCOMPARE(p.weights[1].rows, 3);
    QCOMPARE(p.weights[1].cols, 2);
    QCOMPARE(p.weights[2].rows, 3);
    QCOMPARE(p.weights[2].cols, 3);
    QCOMPARE(p.weights[0](1, 0), 0.3);
    QCOMPARE(p.weights[1](2, 1), 6.0);
    QCOMPARE(p.weights[2](1, 1), 1.0);
    QCOMPARE(p.weights[2](1, 2), 0.0);
    QCOMPARE(p.biases[0], (std::vector<double>{0.5, -0.5}));
    QCOMPARE(p.biases[1], (std::vector<double>{0.0, 0.0, 0.0}));
    QCOMPARE(p.biases[2], (std::vector<double>{0.1, 0.2, 0.3}));

    QVERIFY(sameRef(p.free[0].ref, WeightRef{2, false, 0, 1}));
    QCOMPARE(p.free[0].name, std::string("output[0][1]"));
    QCOMPARE(p.free[0].label, std::string("a"));
    QCOMPARE(p.free[0].lo, -2.0);
    QCOMPARE(p.free[0].hi, 2.0);
    QVERIFY(sameRef(p.free[1].ref, WeightRef{0, true, 1, 0}));
    QCOMPARE(p.free[1].label, std::string("hidden1_bias[1]"));  // defaults to the weight name
    QCOMPARE(p.free[1].lo, -1.0);
    QCOMPARE(p.free[1].hi, 3.0);

    QCOMPARE(p.dropout.sites, (std::vector<bool>{true, false, true}));
    QCOMPARE(p.dropout.rate, 0.25);
    QVERIFY(p.dropout.aggregation == Aggregation::Geometric);
    QCOMPARE(p.siteWidth(0), 2);
    QCOMPARE(p.siteWidth(1), 2);
    QCOMPARE(p.siteWidth(2), 3);
    QCOMPARE(p.layerWidths(), (std::vector<int>{2, 2, 3, 3}));
    QCOMPARE(p.maskedUnits(), 5);
    QCOMPARE(p.view.at("colormap").get<std::string>(), std::string("viridis"));
    QCOMPARE(p.view.at("azimuth").get<int>(), 30);
}

void TestPreset::defaultsWhenOptionalKeysAreMissing() {
    json doc = base();
    for (const char* key : {"title", "description", "weights", "dropout", "view"}) doc.erase(key);
    doc["free"][1].erase("label");
    const Preset p = manifoldlens::presetFromJson(doc);
    QVERIFY(p.title.empty());
    QVERIFY(p.description.empty());
    QCOMPARE(int(p.weights.size()), 3);
    for (std::size_t l = 0; l < 3; ++l) {
        QCOMPARE(p.weights[l].rows, l == 0 ? 2 : 3);
        QCOMPARE(p.weights[l].cols, l == 2 ? 3 : 2);
        for (const double w : p.weights[l].data) QCOMPARE(w, 0.0);
        QCOMPARE(int(p.biases[l].size()), p.weights[l].rows);
        for (const double b : p.biases[l]) QCOMPARE(b, 0.0);
    }
    QCOMPARE(p.dropout.sites, (std::vector<bool>{false, false, false}));
    QCOMPARE(p.dropout.rate, 0.0);
    QVERIFY(p.dropout.aggregation == Aggregation::Arithmetic);
    QCOMPARE(p.maskedUnits(), 0);
    QVERIFY(p.view.is_null());

    // A network without a hidden key has no hidden layers; dropout with only a rate.
    json flat = doc;
    flat["network"].erase("hidden");
    flat["free"] = json::parse(R"([{"weight": "output[2][1]", "range": [0, 1]}, {"weight": "output_bias[2]", "range": [0, 1]}])");
    flat["dropout"] = {{"rate", 0.5}};
    const Preset q = manifoldlens::presetFromJson(flat);
    QVERIFY(q.hidden.empty());
    QCOMPARE(int(q.weights.size()), 1);
    QCOMPARE(q.weights[0].rows, 3);
    QCOMPARE(q.weights[0].cols, 2);
    QCOMPARE(q.dropout.sites, (std::vector<bool>{false}));
    QCOMPARE(q.dropout.rate, 0.5);
    QVERIFY(sameRef(q.free[0].ref, WeightRef{0, false, 2, 1}));
    QVERIFY(sameRef(q.free[1].ref, WeightRef{0, true, 2, 0}));
}

void TestPreset::integralFloatsAreAcceptedAsIntegers() {
    json doc = base();
    doc["format"] = 1.0;
    doc["network"]["hidden"][0]["units"] = 2.0;
    doc["network"]["output"]["categorical"] = 3.0;
    const Preset p = manifoldlens::presetFromJson(doc);
    QCOMPARE(p.hidden[0].units, 2);
    QCOMPARE(p.outputs, 3);
}

void TestPreset::maskedUnitsAtTheLimitAreAccepted() {
    json doc = base();
    doc.erase("weights");
    doc["network"]["hidden"][1]["units"] = 18;  // input (2) + hidden2 (18) = 20
    const Preset p = manifoldlens::presetFromJson(doc);
    QCOMPARE(p.maskedUnits(), manifoldlens::kMaxMaskedUnits);
    doc["network"]["hidden"][1]["units"] = 19;
    QCOMPARE(errorPath(doc.dump()), std::string("dropout.sites"));
}

void TestPreset::errors_data() {
    QTest::addColumn<QString>("patch");
    QTest::addColumn<QString>("literal");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    std::ifstream in(MANIFOLDLENS_TEST_DATA_DIR "/preset-errors.json");
    QVERIFY2(in, "cannot open tests/data/preset-errors.json");
    const json cases = json::parse(in).at("cases");
    QVERIFY2(cases.size() >= 100, "the error table is incomplete");
    for (const json& c : cases) {
        QTest::newRow(c.at("case").get<std::string>().c_str())
            << QString::fromStdString(c.at("patch").dump()) << QString::fromStdString(c.value("literal", ""))
            << QString::fromStdString(c.at("path").get<std::string>())
            << QString::fromStdString(c.at("message").get<std::string>());
    }
}

void TestPreset::errors() {
    QFETCH(QString, patch);
    QFETCH(QString, literal);
    QFETCH(QString, path);
    QFETCH(QString, message);
    std::string text = patchedText(patch);
    // A string value "@@" stands for raw text that no JSON value can hold.
    const auto at = text.find(kPlaceholder);
    QCOMPARE(at != std::string::npos, !literal.isEmpty());
    if (at != std::string::npos) text.replace(at, kPlaceholder.size(), literal.toStdString());
    try {
        manifoldlens::parsePreset(text);
        QFAIL(qPrintable("accepted: " + QString::fromStdString(text)));
    } catch (const PresetError& e) {
        QCOMPARE(QString::fromStdString(e.path()), path);
        QVERIFY2(QString::fromStdString(e.message()).contains(message), shown(e).c_str());
    }
}

void TestPreset::nonFiniteValues_data() {
    // Values a JSON text cannot express but a json object built in code can hold.
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("path");
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("design inf") << "/design/2/1" << inf << "design[2][1]";
    QTest::newRow("design nan") << "/design/0/0" << nan << "design[0][0]";
    QTest::newRow("weight -inf") << "/weights/hidden2/1/0" << -inf << "weights.hidden2[1][0]";
    QTest::newRow("bias nan") << "/weights/output_bias/2" << nan << "weights.output_bias[2]";
    QTest::newRow("range hi inf") << "/free/1/range/1" << inf << "free[1].range[1]";
    QTest::newRow("range lo nan") << "/free/0/range/0" << nan << "free[0].range[0]";
    QTest::newRow("rate nan") << "/dropout/rate" << nan << "dropout.rate";
    QTest::newRow("units inf") << "/network/hidden/0/units" << inf << "network.hidden[0].units";
    QTest::newRow("format nan") << "/format" << nan << "format";
}

void TestPreset::nonFiniteValues() {
    QFETCH(QString, pointer);
    QFETCH(double, value);
    QFETCH(QString, path);
    json doc = base();
    doc[json::json_pointer(pointer.toStdString())] = value;
    try {
        manifoldlens::presetFromJson(doc);
        QFAIL("accepted");
    } catch (const PresetError& e) {
        QCOMPARE(QString::fromStdString(e.path()), path);
        QVERIFY2(e.message().find("got inf") != std::string::npos || e.message().find("got -inf") != std::string::npos ||
                     e.message().find("got nan") != std::string::npos || e.message().find("got -nan") != std::string::npos,
                 shown(e).c_str());
    }
}

void TestPreset::rawTextErrors_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty text") << "" << "" << "invalid JSON";
    QTest::newRow("truncated") << "{\"format\": 1,\n  \"name\": " << "" << "line 2, column 11";
    QTest::newRow("trailing comma") << "{\"format\": 1,}" << "" << "invalid JSON: parse error at line 1, column 14";
    QTest::newRow("single quotes") << "{'format': 1}" << "" << "line 1, column 2";
    QTest::newRow("comment") << "// preset\n{}" << "" << "invalid JSON";
    QTest::newRow("trailing text") << "{} x" << "" << "invalid JSON";
    QTest::newRow("not an object") << "[1, 2]" << "" << "a preset must be a JSON object, got an array";
    QTest::newRow("empty object") << "{}" << "format" << "required key 'format' is missing";
    const QString deep = QString("{\"view\": ") + QString("[").repeated(100000) + QString("]").repeated(100000) + "}";
    QTest::newRow("nested 100000 deep") << deep << "view" + QString("[0]").repeated(63) << "nested more than 64 levels deep";
    QTest::newRow("control character in a key") << QString("{\"na\\u0000me\": 1}") << "na\\u0000me" << "unknown key 'na\\u0000me'";
}

void TestPreset::rawTextErrors() {
    QFETCH(QString, text);
    QFETCH(QString, path);
    QFETCH(QString, message);
    try {
        manifoldlens::parsePreset(text.toStdString());
        QFAIL("accepted");
    } catch (const PresetError& e) {
        QCOMPARE(QString::fromStdString(e.path()), path);
        QVERIFY2(QString::fromStdString(e.message()).contains(message), shown(e).c_str());
        QVERIFY2(!QString::fromStdString(e.message()).contains("[json.exception"), shown(e).c_str());
    }
}

void TestPreset::errorCarriesPathAndMessage() {
    const PresetError withPath("dropout.rate", "must be in [0, 1), got 1");
    QCOMPARE(withPath.path(), std::string("dropout.rate"));
    QCOMPARE(withPath.message(), std::string("must be in [0, 1), got 1"));
    QCOMPARE(std::string(withPath.what()), std::string("must be in [0, 1), got 1"));
    const PresetError withoutPath("", "invalid JSON");
    QCOMPARE(withoutPath.path(), std::string());
    QCOMPARE(std::string(withoutPath.what()), std::string("invalid JSON"));
}

void TestPreset::builtinNames() {
    QCOMPARE(manifoldlens::builtinPresetNames(),
             (std::vector<std::string>{"logistic-input-dropout", "single-hidden-unit", "trinomial-simplex"}));
    QVERIFY(manifoldlens::builtinPresetText(manifoldlens::kDefaultPresetName).has_value());
    QVERIFY(!manifoldlens::builtinPresetText("no-such-preset").has_value());
}

void TestPreset::logisticInputDropout() {
    const Preset p = manifoldlens::loadPreset("logistic-input-dropout");
    QCOMPARE(p.name, std::string("logistic-input-dropout"));
    QVERIFY(!p.title.empty());
    QVERIFY(p.description.size() > 100);
    QCOMPARE(p.design.rows, 3);
    QCOMPARE(p.design.cols, 2);
    QCOMPARE(p.design.data, (std::vector<double>{1.0, 0.2, 0.3, 1.0, -0.7, 0.6}));
    QVERIFY(p.hidden.empty());
    QVERIFY(p.bernoulli);
    QCOMPARE(p.outputs, 1);
    QCOMPARE(p.classes(), 2);
    QCOMPARE(int(p.weights.size()), 1);
    QCOMPARE(p.weights[0].rows, 1);
    QCOMPARE(p.weights[0].cols, 2);
    QCOMPARE(p.weights[0].data, (std::vector<double>{0.0, 0.0}));
    QCOMPARE(p.biases[0], (std::vector<double>{0.0}));
    QVERIFY(sameRef(p.free[0].ref, WeightRef{0, false, 0, 0}));
    QVERIFY(sameRef(p.free[1].ref, WeightRef{0, false, 0, 1}));
    QCOMPARE(p.free[0].label, std::string("w1"));
    QCOMPARE(p.free[1].label, std::string("w2"));
    for (const auto& f : p.free) {
        QCOMPARE(f.lo, -4.0);
        QCOMPARE(f.hi, 4.0);
    }
    QCOMPARE(p.dropout.sites, (std::vector<bool>{true}));
    QCOMPARE(p.dropout.rate, 0.5);
    QVERIFY(p.dropout.aggregation == Aggregation::Arithmetic);
    QCOMPARE(p.maskedUnits(), 2);
}

void TestPreset::singleHiddenUnit() {
    const Preset p = manifoldlens::loadPreset("single-hidden-unit");
    QCOMPARE(p.name, std::string("single-hidden-unit"));
    QVERIFY(p.description.size() > 100);
    QCOMPARE(p.design.rows, 3);
    QCOMPARE(p.design.cols, 1);
    QCOMPARE(p.design.data, (std::vector<double>{-1.0, 0.5, 2.0}));
    QCOMPARE(int(p.hidden.size()), 1);
    QCOMPARE(p.hidden[0].units, 1);
    QVERIFY(p.hidden[0].activation == Activation::Tanh);
    QVERIFY(p.bernoulli);
    QCOMPARE(int(p.weights.size()), 2);
    QCOMPARE(p.weights[0].rows, 1);
    QCOMPARE(p.weights[0].cols, 1);
    QCOMPARE(p.weights[1].rows, 1);
    QCOMPARE(p.weights[1].cols, 1);
    QVERIFY(sameRef(p.free[0].ref, WeightRef{0, false, 0, 0}));
    QVERIFY(sameRef(p.free[1].ref, WeightRef{1, false, 0, 0}));
    QCOMPARE(p.free[0].label, std::string("a"));
    QCOMPARE(p.free[0].lo, -3.0);
    QCOMPARE(p.free[0].hi, 3.0);
    QCOMPARE(p.free[1].label, std::string("v"));
    QCOMPARE(p.free[1].lo, -4.0);
    QCOMPARE(p.free[1].hi, 4.0);
    QCOMPARE(p.dropout.sites, (std::vector<bool>{false, true}));
    QCOMPARE(p.dropout.rate, 0.3);
    QVERIFY(p.dropout.aggregation == Aggregation::Arithmetic);
    QCOMPARE(p.maskedUnits(), 1);
}

void TestPreset::trinomialSimplex() {
    const Preset p = manifoldlens::loadPreset("trinomial-simplex");
    QCOMPARE(p.name, std::string("trinomial-simplex"));
    QVERIFY(p.description.size() > 100);
    QCOMPARE(p.design.rows, 1);
    QCOMPARE(p.design.cols, 1);
    QCOMPARE(p.design(0, 0), 1.0);
    QVERIFY(p.hidden.empty());
    QVERIFY(!p.bernoulli);
    QCOMPARE(p.outputs, 3);
    QCOMPARE(p.classes(), 3);
    QCOMPARE(p.weights[0].rows, 3);
    QCOMPARE(p.weights[0].cols, 1);
    QVERIFY(sameRef(p.free[0].ref, WeightRef{0, false, 0, 0}));
    QVERIFY(sameRef(p.free[1].ref, WeightRef{0, false, 1, 0}));
    QCOMPARE(p.free[0].label, std::string("t1"));
    QCOMPARE(p.free[1].label, std::string("t2"));
    for (const auto& f : p.free) {
        QCOMPARE(f.lo, -5.0);
        QCOMPARE(f.hi, 5.0);
    }
    QCOMPARE(p.dropout.sites, (std::vector<bool>{true}));
    QCOMPARE(p.dropout.rate, 0.0);
}

void TestPreset::builtinNamesMatchTheirFiles() {
    for (const auto& name : manifoldlens::builtinPresetNames()) {
        const std::string text = *manifoldlens::builtinPresetText(name);
        QCOMPARE(manifoldlens::parsePreset(text).name, name);
        QVERIFY2(text.find(")mlpreset\"") == std::string::npos, name.c_str());
    }
}

void TestPreset::roundTrip_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("base") << QString(kBase);
    for (const auto& name : manifoldlens::builtinPresetNames())
        QTest::newRow(name.c_str()) << QString::fromStdString(*manifoldlens::builtinPresetText(name));
}

void TestPreset::roundTrip() {
    QFETCH(QString, text);
    const Preset p = manifoldlens::parsePreset(text.toStdString());
    const json once = manifoldlens::presetToJson(p);
    const Preset q = manifoldlens::parsePreset(once.dump(2));
    const json twice = manifoldlens::presetToJson(q);
    QCOMPARE(QString::fromStdString(twice.dump()), QString::fromStdString(once.dump()));

    QCOMPARE(q.name, p.name);
    QCOMPARE(q.title, p.title);
    QCOMPARE(q.description, p.description);
    QCOMPARE(q.design.data, p.design.data);
    QCOMPARE(int(q.hidden.size()), int(p.hidden.size()));
    for (std::size_t l = 0; l < p.hidden.size(); ++l) {
        QCOMPARE(q.hidden[l].units, p.hidden[l].units);
        QVERIFY(q.hidden[l].activation == p.hidden[l].activation);
    }
    QCOMPARE(q.outputs, p.outputs);
    QCOMPARE(q.bernoulli, p.bernoulli);
    for (std::size_t l = 0; l < p.weights.size(); ++l) {
        QCOMPARE(q.weights[l].rows, p.weights[l].rows);
        QCOMPARE(q.weights[l].cols, p.weights[l].cols);
        QCOMPARE(q.weights[l].data, p.weights[l].data);
        QCOMPARE(q.biases[l], p.biases[l]);
    }
    for (std::size_t i = 0; i < 2; ++i) {
        QVERIFY(sameRef(q.free[i].ref, p.free[i].ref));
        QCOMPARE(q.free[i].name, p.free[i].name);
        QCOMPARE(q.free[i].label, p.free[i].label);
        QCOMPARE(q.free[i].lo, p.free[i].lo);
        QCOMPARE(q.free[i].hi, p.free[i].hi);
    }
    QCOMPARE(q.dropout.sites, p.dropout.sites);
    QCOMPARE(q.dropout.rate, p.dropout.rate);
    QVERIFY(q.dropout.aggregation == p.dropout.aggregation);
    QCOMPARE(QString::fromStdString(q.view.dump()), QString::fromStdString(p.view.dump()));
}

void TestPreset::roundTripKeepsExactNumbers() {
    Preset p = manifoldlens::parsePreset(kBase);
    p.weights[1](2, 0) = 0.1 + 0.2;
    p.biases[2][1] = -1e-300;
    p.design(0, 1) = 2.0 / 3.0;
    p.free[0].lo = -std::sqrt(2.0);
    p.dropout.rate = 1.0 / 3.0;
    const Preset q = manifoldlens::parsePreset(manifoldlens::presetToJson(p).dump());
    QCOMPARE(q.weights[1](2, 0), 0.1 + 0.2);
    QCOMPARE(q.biases[2][1], -1e-300);
    QCOMPARE(q.design(0, 1), 2.0 / 3.0);
    QCOMPARE(q.free[0].lo, -std::sqrt(2.0));
    QCOMPARE(q.dropout.rate, 1.0 / 3.0);
}

void TestPreset::parseWeightName_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("layer");
    QTest::addColumn<bool>("isBias");
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("col");
    QTest::newRow("hidden1") << "hidden1[1][0]" << 0 << false << 1 << 0;
    QTest::newRow("hidden2") << "hidden2[2][1]" << 1 << false << 2 << 1;
    QTest::newRow("output") << "output[0][1]" << 2 << false << 0 << 1;
    QTest::newRow("output last") << "output[2][2]" << 2 << false << 2 << 2;
    QTest::newRow("hidden1 bias") << "hidden1_bias[0]" << 0 << true << 0 << 0;
    QTest::newRow("hidden2 bias") << "hidden2_bias[2]" << 1 << true << 2 << 0;
    QTest::newRow("output bias") << "output_bias[1]" << 2 << true << 1 << 0;
}

void TestPreset::parseWeightName() {
    QFETCH(QString, name);
    QFETCH(int, layer);
    QFETCH(bool, isBias);
    QFETCH(int, row);
    QFETCH(int, col);
    const Preset shape = manifoldlens::parsePreset(kBase);
    const WeightRef ref = manifoldlens::parseWeightName(name.toStdString(), shape, "here");
    QCOMPARE(ref.layer, layer);
    QCOMPARE(ref.isBias, isBias);
    QCOMPARE(ref.row, row);
    QCOMPARE(ref.col, col);
}

void TestPreset::parseWeightNameErrors_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << "" << "malformed weight name ''";
    QTest::newRow("no index") << "output" << "malformed weight name 'output'";
    QTest::newRow("unknown layer") << "input[0][0]" << "malformed";
    QTest::newRow("hidden0") << "hidden0[0][0]" << "malformed";
    QTest::newRow("letter index") << "output[a][0]" << "malformed";
    QTest::newRow("negative index") << "output[-1][0]" << "malformed";
    QTest::newRow("leading zero") << "output[01][0]" << "malformed";
    QTest::newRow("unclosed") << "output[0][1" << "malformed";
    QTest::newRow("space") << "output[0] [1]" << "malformed";
    QTest::newRow("trailing text") << "output[0][1]x" << "malformed";
    QTest::newRow("empty index") << "output[][1]" << "malformed";
    QTest::newRow("three indices") << "output[0][1][0]" << "output takes two indices [row][col]";
    QTest::newRow("bias two indices") << "hidden1_bias[0][0]" << "hidden1_bias takes one index [row]";
    QTest::newRow("missing layer") << "hidden3[0][0]" << "there is no layer hidden3: the network has 2 hidden layers";
    QTest::newRow("row range") << "hidden2[3][0]" << "row index 3 in 'hidden2[3][0]' is out of range: hidden2 has 3 units";
    QTest::newRow("col range") << "hidden1[0][2]" << "column index 2";
    QTest::newRow("bias range") << "output_bias[3]" << "row index 3";
}

void TestPreset::parseWeightNameErrors() {
    QFETCH(QString, name);
    QFETCH(QString, message);
    const Preset shape = manifoldlens::parsePreset(kBase);
    try {
        manifoldlens::parseWeightName(name.toStdString(), shape, "free[0].weight");
        QFAIL("accepted");
    } catch (const PresetError& e) {
        QCOMPARE(e.path(), std::string("free[0].weight"));
        QVERIFY2(QString::fromStdString(e.message()).contains(message), shown(e).c_str());
    }
}

void TestPreset::enumNames() {
    QCOMPARE(manifoldlens::activationName(Activation::Identity), std::string("identity"));
    QCOMPARE(manifoldlens::activationName(Activation::Tanh), std::string("tanh"));
    QCOMPARE(manifoldlens::activationName(Activation::Sigmoid), std::string("sigmoid"));
    QCOMPARE(manifoldlens::activationName(Activation::Softplus), std::string("softplus"));
    QCOMPARE(manifoldlens::aggregationName(Aggregation::Arithmetic), std::string("arithmetic"));
    QCOMPARE(manifoldlens::aggregationName(Aggregation::Geometric), std::string("geometric"));
}

QTEST_APPLESS_MAIN(TestPreset)
#include "test_preset.moc"

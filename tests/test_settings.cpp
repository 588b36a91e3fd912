// Tests of the computation settings: defaults from presets, range checks and
// the aggregation names.

#include "builtin_presets.h"
#include "settings.h"

#include <QtTest/QtTest>

#include <limits>
#include <string>

using manifoldlens::Aggregation;
using manifoldlens::ComputeSettings;
using manifoldlens::NumericSpec;
namespace spec = manifoldlens::spec;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

const NumericSpec& specNamed(const QString& name) {
    if (name == "rate") return spec::kRate;
    if (name == "alpha") return spec::kAlpha;
    return spec::kResolution;
}

QString messageOf(const std::optional<std::string>& problem) {
    return problem ? QString::fromStdString(*problem) : QString();
}

ComputeSettings validSettings() {
    ComputeSettings s;
    s.rate = 0.5;
    s.alpha = 0.0;
    s.resolution = 65;
    s.uLo = -1.0;
    s.uHi = 1.0;
    s.vLo = 0.0;
    s.vHi = 2.0;
    return s;
}

}  // namespace

class TestSettings : public QObject {
    Q_OBJECT

private slots:
    void specDeclarations();
    void defaultsFromBuiltins_data();
    void defaultsFromBuiltins();
    void defaultsFollowThePreset();
    void checkSetting_data();
    void checkSetting();
    void checkSettingsAcceptsValid();
    void rangesTooWideOrTooNarrow();
    void checkSettings_data();
    void checkSettings();
    void checkSettingsReportsTheFirstProblem();
    void parseAggregation_data();
    void parseAggregation();
};

void TestSettings::specDeclarations() {
    QCOMPARE(std::string(spec::kRate.name), std::string("dropout"));
    QCOMPARE(std::string(spec::kAlpha.name), std::string("alpha"));
    QCOMPARE(std::string(spec::kResolution.name), std::string("resolution"));
    QCOMPARE(spec::kResolution.defaultValue, 129.0);
    QCOMPARE(spec::kAlpha.defaultValue, 0.0);
    // The declared defaults are themselves valid.
    QVERIFY(!manifoldlens::checkSetting(spec::kRate, spec::kRate.defaultValue));
    QVERIFY(!manifoldlens::checkSetting(spec::kAlpha, spec::kAlpha.defaultValue));
    QVERIFY(!manifoldlens::checkSetting(spec::kResolution, spec::kResolution.defaultValue));
}

void TestSettings::defaultsFromBuiltins_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("uLo");
    QTest::addColumn<double>("uHi");
    QTest::addColumn<double>("vLo");
    QTest::addColumn<double>("vHi");
    QTest::newRow("logistic-input-dropout") << "logistic-input-dropout" << 0.5 << -4.0 << 4.0 << -4.0 << 4.0;
    QTest::newRow("single-hidden-unit") << "single-hidden-unit" << 0.3 << -3.0 << 3.0 << -4.0 << 4.0;
    QTest::newRow("trinomial-simplex") << "trinomial-simplex" << 0.0 << -5.0 << 5.0 << -5.0 << 5.0;
}

void TestSettings::defaultsFromBuiltins() {
    QFETCH(QString, name);
    QFETCH(double, rate);
    QFETCH(double, uLo);
    QFETCH(double, uHi);
    QFETCH(double, vLo);
    QFETCH(double, vHi);
    const ComputeSettings s = manifoldlens::defaultSettings(manifoldlens::loadPreset(name.toStdString()));
    QCOMPARE(s.rate, rate);
    QVERIFY(s.aggregation == Aggregation::Arithmetic);
    QCOMPARE(s.alpha, 0.0);
    QCOMPARE(s.resolution, 129);
    QCOMPARE(s.uLo, uLo);
    QCOMPARE(s.uHi, uHi);
    QCOMPARE(s.vLo, vLo);
    QCOMPARE(s.vHi, vHi);
    QVERIFY2(!manifoldlens::checkSettings(s), qPrintable(messageOf(manifoldlens::checkSettings(s))));
}

void TestSettings::defaultsFollowThePreset() {
    const manifoldlens::Preset p = manifoldlens::parsePreset(R"({
      "format": 1, "name": "geometric",
      "design": [[1.0, 2.0]],
      "network": {"hidden": [{"units": 2, "activation": "sigmoid"}], "output": {"categorical": 4}},
      "free": [{"weight": "hidden1_bias[1]", "range": [-0.25, 0.75]},
               {"weight": "output[3][1]", "range": [1.5, 9]}],
      "dropout": {"sites": ["hidden1"], "rate": 0.125, "aggregation": "geometric"}
    })");
    const ComputeSettings s = manifoldlens::defaultSettings(p);
    QCOMPARE(s.rate, 0.125);
    QVERIFY(s.aggregation == Aggregation::Geometric);
    QCOMPARE(s.uLo, -0.25);
    QCOMPARE(s.uHi, 0.75);
    QCOMPARE(s.vLo, 1.5);
    QCOMPARE(s.vHi, 9.0);
    QCOMPARE(s.alpha, spec::kAlpha.defaultValue);
    QCOMPARE(s.resolution, 129);
}

void TestSettings::checkSetting_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("message");  // empty: valid
    QTest::newRow("rate 0") << "rate" << 0.0 << "";
    QTest::newRow("rate 0.5") << "rate" << 0.5 << "";
    QTest::newRow("rate 0.999") << "rate" << 0.999 << "";
    QTest::newRow("rate 1") << "rate" << 1.0 << "dropout must be in [0, 1), got 1";
    QTest::newRow("rate 1.5") << "rate" << 1.5 << "dropout must be in [0, 1), got 1.5";
    QTest::newRow("rate -0.001") << "rate" << -0.001 << "dropout must be in [0, 1), got -0.001";
    QTest::newRow("rate NaN") << "rate" << kNaN << "dropout must be a finite number, got nan";
    QTest::newRow("rate inf") << "rate" << kInf << "dropout must be a finite number, got inf";
    QTest::newRow("alpha -1") << "alpha" << -1.0 << "";
    QTest::newRow("alpha 0") << "alpha" << 0.0 << "";
    QTest::newRow("alpha 1") << "alpha" << 1.0 << "";
    QTest::newRow("alpha 1.0001") << "alpha" << 1.0001 << "alpha must be in [-1, 1], got 1.0001";
    QTest::newRow("alpha -1.0001") << "alpha" << -1.0001 << "alpha must be in [-1, 1], got -1.0001";
    QTest::newRow("alpha NaN") << "alpha" << kNaN << "alpha must be a finite number, got nan";
    QTest::newRow("alpha -inf") << "alpha" << -kInf << "alpha must be a finite number, got -inf";
    QTest::newRow("resolution 2") << "resolution" << 2.0 << "";
    QTest::newRow("resolution 129") << "resolution" << 129.0 << "";
    QTest::newRow("resolution 4097") << "resolution" << 4097.0 << "";
    QTest::newRow("resolution 1") << "resolution" << 1.0 << "resolution must be in [2, 4097], got 1";
    QTest::newRow("resolution 4098") << "resolution" << 4098.0 << "resolution must be in [2, 4097], got 4098";
    QTest::newRow("resolution NaN") << "resolution" << kNaN << "resolution must be a finite number, got nan";
}

void TestSettings::checkSetting() {
    QFETCH(QString, spec);
    QFETCH(double, value);
    QFETCH(QString, message);
    QCOMPARE(messageOf(manifoldlens::checkSetting(specNamed(spec), value)), message);
}

void TestSettings::checkSettingsAcceptsValid() {
    QVERIFY(!manifoldlens::checkSettings(validSettings()));
    ComputeSettings s = validSettings();
    s.rate = 0.0;
    s.alpha = -1.0;
    s.resolution = 4097;
    s.uLo = -1e300;
    s.uHi = 1e300;
    s.vLo = 0.0;
    s.vHi = 1e-12;
    QVERIFY2(!manifoldlens::checkSettings(s), qPrintable(messageOf(manifoldlens::checkSettings(s))));
}

// A range whose width overflows would put NaN and inf vertices on the grid;
// one too narrow for the resolution would repeat vertices.
void TestSettings::rangesTooWideOrTooNarrow() {
    ComputeSettings s = validSettings();
    s.uLo = -1e308;
    s.uHi = 1e308;
    QCOMPARE(messageOf(manifoldlens::checkSettings(s)),
             QString("u range is too wide, got [-1e+308, 1e+308]: hi - lo overflows a double"));
    s = validSettings();
    s.vLo = 0.0;
    s.vHi = 5e-324;
    s.resolution = 3;
    QCOMPARE(messageOf(manifoldlens::checkSettings(s)),
             QString("v range [0, 5e-324] is too narrow for 3 vertices per side: neighbouring vertices would coincide"));
    s.vLo = 1.0;
    s.vHi = 1.0 + 64 * std::numeric_limits<double>::epsilon();
    s.resolution = 17;  // 4 units in the last place apart: too close
    QVERIFY(manifoldlens::checkSettings(s).has_value());
    s.resolution = 9;  // 8 apart
    QVERIFY2(!manifoldlens::checkSettings(s), qPrintable(messageOf(manifoldlens::checkSettings(s))));
}

void TestSettings::checkSettings_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("rate 1") << "rate" << 1.0 << "dropout must be in [0, 1), got 1";
    QTest::newRow("rate NaN") << "rate" << kNaN << "dropout must be a finite number, got nan";
    QTest::newRow("alpha 2") << "alpha" << 2.0 << "alpha must be in [-1, 1], got 2";
    QTest::newRow("resolution 1") << "resolution" << 1.0 << "resolution must be in [2, 4097], got 1";
    QTest::newRow("resolution 4098") << "resolution" << 4098.0 << "resolution must be in [2, 4097], got 4098";
    QTest::newRow("resolution 0") << "resolution" << 0.0 << "resolution must be in [2, 4097], got 0";
    QTest::newRow("uLo NaN") << "uLo" << kNaN << "u range must be finite, got [nan, 1]";
    QTest::newRow("uHi inf") << "uHi" << kInf << "u range must be finite, got [-1, inf]";
    QTest::newRow("uLo equals uHi") << "uLo" << 1.0 << "u range must have lo < hi, got [1, 1]";
    QTest::newRow("uHi below uLo") << "uHi" << -2.0 << "u range must have lo < hi, got [-1, -2]";
    QTest::newRow("vLo -inf") << "vLo" << -kInf << "v range must be finite, got [-inf, 2]";
    QTest::newRow("vHi NaN") << "vHi" << kNaN << "v range must be finite, got [0, nan]";
    QTest::newRow("vLo above vHi") << "vLo" << 3.0 << "v range must have lo < hi, got [3, 2]";
    QTest::newRow("vHi equals vLo") << "vHi" << 0.0 << "v range must have lo < hi, got [0, 0]";
}

void TestSettings::checkSettings() {
    QFETCH(QString, field);
    QFETCH(double, value);
    QFETCH(QString, message);
    ComputeSettings s = validSettings();
    if (field == "rate") s.rate = value;
    else if (field == "alpha") s.alpha = value;
    else if (field == "resolution") s.resolution = static_cast<int>(value);
    else if (field == "uLo") s.uLo = value;
    else if (field == "uHi") s.uHi = value;
    else if (field == "vLo") s.vLo = value;
    else if (field == "vHi") s.vHi = value;
    else QFAIL("unknown field");
    QCOMPARE(messageOf(manifoldlens::checkSettings(s)), message);
}

void TestSettings::checkSettingsReportsTheFirstProblem() {
    ComputeSettings s = validSettings();
    s.alpha = 5.0;
    s.vLo = 9.0;
    QCOMPARE(messageOf(manifoldlens::checkSettings(s)), QString("alpha must be in [-1, 1], got 5"));
    s.rate = -1.0;
    QCOMPARE(messageOf(manifoldlens::checkSettings(s)), QString("dropout must be in [0, 1), got -1"));
    s.rate = 0.1;
    s.alpha = 0.1;
    QCOMPARE(messageOf(manifoldlens::checkSettings(s)), QString("v range must have lo < hi, got [9, 2]"));
}

void TestSettings::parseAggregation_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected");  // -1: rejected
    QTest::newRow("arithmetic") << "arithmetic" << int(Aggregation::Arithmetic);
    QTest::newRow("geometric") << "geometric" << int(Aggregation::Geometric);
    QTest::newRow("capitalised") << "Arithmetic" << -1;
    QTest::newRow("upper case") << "GEOMETRIC" << -1;
    QTest::newRow("leading space") << " geometric" << -1;
    QTest::newRow("trailing space") << "arithmetic " << -1;
    QTest::newRow("prefix") << "geo" << -1;
    QTest::newRow("empty") << "" << -1;
    QTest::newRow("harmonic") << "harmonic" << -1;
}

void TestSettings::parseAggregation() {
    QFETCH(QString, text);
    QFETCH(int, expected);
    const auto parsed = manifoldlens::parseAggregation(text.toStdString());
    QCOMPARE(parsed.has_value(), expected >= 0);
    if (parsed) QCOMPARE(int(*parsed), expected);
}

QTEST_APPLESS_MAIN(TestSettings)
#include "test_settings.moc"

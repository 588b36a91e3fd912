// Colour fields: values derived from the grid, and robust colour ranges.

#include "builtin_presets.h"
#include "fields.h"
#include "geometry.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <cmath>
#include <numbers>
#include <limits>

using namespace manifoldlens;
using namespace manifoldlens::test;

class TestFields : public QObject {
    Q_OBJECT

private slots:
    void everyFieldHasAUniqueKey() {
        for (const FieldInfo& f : scalarFields()) {
            QCOMPARE(parseScalarField(f.key), std::optional<ScalarField>(f.field));
            QCOMPARE(&fieldInfo(f.field), &f);
        }
        QVERIFY(!parseScalarField("curvature"));
        QVERIFY(fieldInfo(ScalarField::GaussianCurvature).isSigned);
        QVERIFY(!fieldInfo(ScalarField::VolumeElement).isSigned);
    }

    void valuesComeFromTheGrid() {
        const Preset p = loadPreset("single-hidden-unit");
        ComputeSettings s = defaultSettings(p);
        s.resolution = 7;
        const GridResult g = *computeGrid(p, s);
        std::vector<double> volume, gamma, gap, gauss;
        fieldValues(g, ScalarField::VolumeElement, 0.0, volume);
        fieldValues(g, ScalarField::EmbeddingCurvature, 0.3, gamma);
        fieldValues(g, ScalarField::PenaltyGap, 0.0, gap);
        fieldValues(g, ScalarField::GaussianCurvature, 0.0, gauss);
        for (std::size_t i = 0; i < g.spec.vertices(); ++i) {
            if (g.valid[i]) {
                QCOMPARE(volume[i] * volume[i], g.metricDet[i]);
                // gamma2 at alpha = 0.3: c+ = 0.65, c- = 0.35.
                ML_COMPARE_CLOSE(gamma[i], 0.4225 * g.gammaEE[i] + 0.455 * g.gammaEM[i] + 0.1225 * g.gammaMM[i], 1e-14, 0.0);
                QCOMPARE(gauss[i], g.gaussian[i]);
            } else {
                QVERIFY(std::isnan(volume[i]) && std::isnan(gamma[i]) && std::isnan(gauss[i]));
            }
            if (g.penaltyExact[i] > 0.0)
                ML_COMPARE_CLOSE(gap[i], g.penaltyQuadratic[i] / g.penaltyExact[i] - 1.0, 1e-12, 1e-15);
        }
    }

    void penaltyGapIsUndefinedWithoutDropout() {
        const Preset p = loadPreset("logistic-input-dropout");
        ComputeSettings s = defaultSettings(p);
        s.rate = 0.0;
        s.resolution = 3;
        std::vector<double> gap;
        fieldValues(*computeGrid(p, s), ScalarField::PenaltyGap, 0.0, gap);
        for (double x : gap) QVERIFY(std::isnan(x));
    }

    void degenerateRangesAreWidened() {
        const auto check = [](ValueRange in, double lo, double hi) {
            const ValueRange out = nonDegenerate(in);
            ML_COMPARE_CLOSE(out.lo, lo, 1e-15, 0.0);
            ML_COMPARE_CLOSE(out.hi, hi, 1e-15, 0.0);
        };
        check({1.0, 3.0}, 1.0, 3.0);
        check({2.0, 2.0}, 1.998, 2.002);
        check({-5.0, -5.0}, -5.005, -4.995);
        check({0.0, 0.0}, -1e-12, 1e-12);
    }

    void robustRangeCutsThePercentiles() {
        std::vector<double> v;
        for (int i = 0; i <= 100; ++i) v.push_back(i);  // percentile p is the value p
        v.push_back(std::numeric_limits<double>::quiet_NaN());
        v.push_back(1e9);  // an outlier beyond the 99th percentile barely moves it
        const ValueRange r = *robustRange(v, false, false);
        QCOMPARE(r.lo, 1.0);
        QCOMPARE(r.hi, 100.0);
        const ValueRange full = *robustRange(v, false, false, 0.0, 100.0);
        QCOMPARE(full.hi, 1e9);
    }

    void signedRangesAreSymmetric() {
        std::vector<double> v;
        for (int i = -20; i <= 80; ++i) v.push_back(i);
        const ValueRange r = *robustRange(v, true, false);
        QCOMPARE(r.lo, -r.hi);
        QCOMPARE(r.hi, 79.0);
    }

    void logRangeIgnoresNonPositiveValues() {
        const ValueRange r = *robustRange({-1.0, 0.0, 1e-3, 1e-2, 1e-1}, false, true, 0.0, 100.0);
        QCOMPARE(r.lo, 1e-3);
        QCOMPARE(r.hi, 1e-1);
        QVERIFY(!robustRange({-1.0, 0.0}, false, true));
        QVERIFY(!robustRange({std::numeric_limits<double>::quiet_NaN()}, false, false));
    }

    void constantValuesGetAWidenedRange() {
        const ValueRange r = *robustRange({2.0, 2.0, 2.0}, false, false);
        QVERIFY(r.lo < 2.0 && r.hi > 2.0);
    }

    void symlogClosedForms() {
        // The inverse, sign(t) c (10^|t| - 1), to check symlog by a round trip.
        const auto symlogInverse = [](double t, double c) {
            return std::copysign(c * std::expm1(std::abs(t) * std::numbers::ln10), t);
        };
        for (double c : {1e-6, 0.3, 1.0, 2.0, 1e4}) {
            QCOMPARE(symlog(0.0, c), 0.0);
            ML_COMPARE_CLOSE(symlog(c, c), std::log10(2.0), 1e-15, 0.0);
            ML_COMPARE_CLOSE(symlog(-c, c), -std::log10(2.0), 1e-15, 0.0);
            ML_COMPARE_CLOSE(symlog(9.0 * c, c), 1.0, 1e-15, 0.0);
            ML_COMPARE_CLOSE(symlog(99.0 * c, c), 2.0, 1e-15, 0.0);
            for (double x : {1e-9, 0.01, 0.5, 3.0, 117.0, 1e12}) {
                const double v = x * c;
                QCOMPARE(symlog(-v, c), -symlog(v, c));  // odd
                QVERIFY(symlog(v, c) > 0.0);
                ML_COMPARE_CLOSE(symlogInverse(symlog(v, c), c), v, 1e-13, 0.0);
                ML_COMPARE_CLOSE(symlogInverse(symlog(-v, c), c), -v, 1e-13, 0.0);
            }
            ML_COMPARE_CLOSE(symlogInverse(std::log10(2.0), c), c, 1e-15, 0.0);
        }
        // Linear near 0 with slope 1 / (c ln 10), accurate far below c.
        ML_COMPARE_CLOSE(symlog(1e-12, 2.0), 1e-12 / (2.0 * std::log(10.0)), 1e-9, 0.0);
        // Strictly increasing.
        double previous = -std::numeric_limits<double>::infinity();
        for (double x = -1e3; x <= 1e3; x += 0.37) {
            const double t = symlog(x, 0.7);
            QVERIFY(t > previous);
            previous = t;
        }
        QVERIFY(std::isnan(symlog(std::numeric_limits<double>::quiet_NaN(), 1.0)));
    }

    void symlogThresholdIsTheMedianOfTheMagnitudes() {
        constexpr double nan = std::numeric_limits<double>::quiet_NaN();
        constexpr double inf = std::numeric_limits<double>::infinity();
        // |x| = 1, 2, 3, 5, 100: median 3; NaN, infinities and zeros do not count.
        QCOMPARE(symlogThreshold({-100.0, 2.0, 0.0, -3.0, nan, 1.0, 0.0, 5.0, inf, -inf, 0.0}), 3.0);
        // An even count: the mean of the two middle magnitudes.
        QCOMPARE(symlogThreshold({4.0, -1.0, 0.0, -8.0, 2.0}), 3.0);
        // Heavy tails do not move it.
        QCOMPARE(symlogThreshold({1.0, -2.0, 3.0, 1e6, -1e9}), 3.0);
        QCOMPARE(symlogThreshold({-7.5}), 7.5);
        // Never 0.
        QCOMPARE(symlogThreshold({}), 1.0);
        QCOMPARE(symlogThreshold({0.0, -0.0, nan}), 1.0);
    }

    void symlogThresholdOfALockedRange() {
        QCOMPARE(symlogThresholdForRange(ValueRange{-50.0, 200.0}), 2.0);
        QCOMPARE(symlogThresholdForRange(ValueRange{-3.0, 1.0}), 0.03);
        QCOMPARE(symlogThresholdForRange(ValueRange{0.0, 0.0}), 1.0);
        QCOMPARE(symlogThresholdForRange(ValueRange{-std::numeric_limits<double>::infinity(), 1.0}), 1.0);
    }

    void symlogOfTheDefaultGaussianCurvature() {
        // The default preset's curvature: heavy tails, so the median |K| sits
        // far inside the 99th percentile; on the symmetric log scale it is
        // well away from the centre of the colour map.
        const Preset p = loadPreset("logistic-input-dropout");
        ComputeSettings s = defaultSettings(p);
        s.resolution = 33;
        std::vector<double> k;
        fieldValues(*computeGrid(p, s), ScalarField::GaussianCurvature, 0.0, k);
        const double c = symlogThreshold(k);
        const ValueRange r = *robustRange(k, true, false);
        QVERIFY2(c > 0.0 && c < r.hi / 10.0, qPrintable(QStringLiteral("c = %1, bound %2").arg(c).arg(r.hi)));
        QVERIFY(symlog(c, c) / symlog(r.hi, c) > 5.0 * c / r.hi);
    }
};

QTEST_APPLESS_MAIN(TestFields)
#include "test_fields.moc"

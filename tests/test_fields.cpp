// Colour fields: values derived from the grid, and robust colour ranges.

#include "builtin_presets.h"
#include "fields.h"
#include "geometry.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <cmath>
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
};

QTEST_APPLESS_MAIN(TestFields)
#include "test_fields.moc"

// Masks, the network's forward 2-jets and the dropout predictive: derivatives
// against sixth-order finite differences, values against direct enumeration.

#include "builtin_presets.h"
#include "masks.h"
#include "network.h"
#include "predictive.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <cmath>
#include <numeric>

using namespace manifoldlens;
using namespace manifoldlens::test;

namespace {

// Two hidden layers (tanh, softplus), dropout at the input and hidden1, free
// weights deep inside (hidden1 and a hidden2 bias): every path of the chain rule.
const char* kDeepBernoulli = R"({
  "format": 1, "name": "deep",
  "design": [[0.4, -1.1], [1.3, 0.2], [-0.6, 0.9]],
  "network": {"hidden": [{"units": 2, "activation": "tanh"}, {"units": 2, "activation": "softplus"}],
              "output": "bernoulli"},
  "weights": {"hidden1": [[0.7, -0.4], [0.3, 0.8]], "hidden1_bias": [0.1, -0.2],
              "hidden2": [[1.1, -0.5], [0.4, 0.9]], "hidden2_bias": [0.0, 0.3],
              "output": [[0.8, -1.2]], "output_bias": [0.05]},
  "free": [{"weight": "hidden1[1][0]", "label": "a", "range": [-2, 2]},
           {"weight": "hidden2_bias[0]", "label": "b", "range": [-2, 2]}],
  "dropout": {"sites": ["input", "hidden1"], "rate": 0.35}
})";

// Categorical output with a sigmoid hidden layer and dropout on it.
const char* kCategorical = R"({
  "format": 1, "name": "cat",
  "design": [[0.5], [-1.0]],
  "network": {"hidden": [{"units": 3, "activation": "sigmoid"}], "output": {"categorical": 4}},
  "weights": {"hidden1": [[1.0], [-0.7], [0.4]], "hidden1_bias": [0.2, 0.0, -0.3],
              "output": [[0.5, -0.2, 0.9], [0.1, 0.4, -0.6], [-0.8, 0.3, 0.2], [0.0, 0.0, 0.0]]},
  "free": [{"weight": "output[1][2]", "label": "p", "range": [-3, 3]},
           {"weight": "hidden1[2][0]", "label": "q", "range": [-3, 3]}],
  "dropout": {"sites": ["hidden1"], "rate": 0.4}
})";

void compareJet(const Jet2& jet, const std::function<double(double, double)>& f, double u, double v) {
    const auto fd = finiteDifferences(f, u, v, 1e-2);
    const double scale = std::abs(jet.v) + 1.0;
    ML_COMPARE_CLOSE(jet.du, fd[0], 1e-8, 1e-9 * scale);
    ML_COMPARE_CLOSE(jet.dv, fd[1], 1e-8, 1e-9 * scale);
    ML_COMPARE_CLOSE(jet.duu, fd[2], 1e-7, 1e-8 * scale);
    ML_COMPARE_CLOSE(jet.duv, fd[3], 1e-7, 1e-8 * scale);
    ML_COMPARE_CLOSE(jet.dvv, fd[4], 1e-7, 1e-8 * scale);
}

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

class TestNetwork : public QObject {
    Q_OBJECT

private slots:
    void masksEnumerateEveryPattern() {
        const Preset p = presetFromText(kDeepBernoulli);
        const MaskSet m = enumerateMasks(p, 0.35);
        QCOMPARE(m.units, 4);
        QCOMPARE(m.masks.size(), std::size_t{16});
        QCOMPARE(m.siteOffset, (std::vector<int>{0, 2, -1}));
        const double total = std::accumulate(m.probabilities.begin(), m.probabilities.end(), 0.0);
        ML_COMPARE_CLOSE(total, 1.0, 1e-15, 0.0);
        // The mask keeping units 0 and 3 only: q^2 r^2.
        ML_COMPARE_CLOSE(m.probabilities[0b1001], 0.65 * 0.65 * 0.35 * 0.35, 1e-15, 0.0);
    }

    void rateZeroKeepsOnlyTheFullMask() {
        const MaskSet m = enumerateMasks(presetFromText(kDeepBernoulli), 0.0);
        QCOMPARE(m.masks, (std::vector<std::uint32_t>{0b1111}));
        QCOMPARE(m.probabilities, (std::vector<double>{1.0}));
    }

    void badRatesAreRefused() {
        const Preset p = presetFromText(kDeepBernoulli);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, enumerateMasks(p, 1.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, enumerateMasks(p, -0.1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, enumerateMasks(p, std::nan("")));
    }

    void activationDerivativesMatchFiniteDifferences_data() {
        QTest::addColumn<int>("activation");
        QTest::newRow("identity") << int(Activation::Identity);
        QTest::newRow("tanh") << int(Activation::Tanh);
        QTest::newRow("sigmoid") << int(Activation::Sigmoid);
        QTest::newRow("softplus") << int(Activation::Softplus);
    }
    void activationDerivativesMatchFiniteDifferences() {
        QFETCH(int, activation);
        const auto act = static_cast<Activation>(activation);
        // x(u, v) = u v + 0.3 u: a nonlinear inner function exercises the full chain rule.
        auto inner = [](double u, double v) {
            return Jet2::variableU(u) * Jet2::variableV(v) + 0.3 * Jet2::variableU(u);
        };
        for (double u : {-1.7, 0.2, 1.4}) {
            for (double v : {-0.9, 0.6}) {
                compareJet(activate(act, inner(u, v)), [&](double a, double b) { return activate(act, inner(a, b)).v; }, u, v);
            }
        }
    }

    void softplusIsStableForLargeInputs() {
        QCOMPARE(activate(Activation::Softplus, Jet2::constant(800.0)).v, 800.0);
        QCOMPARE(activate(Activation::Softplus, Jet2::constant(-800.0)).v, 0.0);
        QCOMPARE(activate(Activation::Sigmoid, Jet2::constant(-800.0)).v, 0.0);
    }

    void logitJetsMatchFiniteDifferences() {
        const Preset p = presetFromText(kDeepBernoulli);
        const MaskSet masks = enumerateMasks(p, 0.35);
        ForwardScratch scratch;
        for (std::uint32_t mask : {0b1111u, 0b0110u, 0b1011u}) {
            for (int point = 0; point < 3; ++point) {
                auto logit = [&](double u, double v) {
                    std::vector<Jet2> z;
                    forwardLogits(p, seedWeights(p, u, v), masks, mask, 0.65, point, z, scratch);
                    return z[0];
                };
                compareJet(logit(0.6, -0.4), [&](double u, double v) { return logit(u, v).v; }, 0.6, -0.4);
            }
        }
    }

    void invertedDropoutScalesKeptUnits() {
        // logistic-input-dropout: z = (w1 m1 x1 + w2 m2 x2) / q at design point 0, x = (1.0, 0.2).
        const Preset p = loadPreset("logistic-input-dropout");
        const MaskSet masks = enumerateMasks(p, 0.5);
        ForwardScratch scratch;
        std::vector<Jet2> z;
        forwardLogits(p, seedWeights(p, 1.5, -2.0), masks, 0b01, 0.5, 0, z, scratch);
        ML_COMPARE_CLOSE(z[0].v, 1.5 * 1.0 / 0.5, 1e-15, 0.0);
        QCOMPARE(z[0].du, 2.0);
        QCOMPARE(z[0].dv, 0.0);
        forwardLogits(p, seedWeights(p, 1.5, -2.0), masks, 0b11, 0.5, 0, z, scratch);
        ML_COMPARE_CLOSE(z[0].v, (1.5 * 1.0 - 2.0 * 0.2) / 0.5, 1e-15, 0.0);
    }

    void predictiveJetsMatchFiniteDifferences_data() {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<int>("aggregation");
        QTest::newRow("deep arithmetic") << QString::fromLatin1(kDeepBernoulli) << int(Aggregation::Arithmetic);
        QTest::newRow("deep geometric") << QString::fromLatin1(kDeepBernoulli) << int(Aggregation::Geometric);
        QTest::newRow("categorical arithmetic") << QString::fromLatin1(kCategorical) << int(Aggregation::Arithmetic);
        QTest::newRow("categorical geometric") << QString::fromLatin1(kCategorical) << int(Aggregation::Geometric);
    }
    void predictiveJetsMatchFiniteDifferences() {
        QFETCH(QString, preset);
        QFETCH(int, aggregation);
        const Preset p = presetFromText(preset.toStdString());
        const DropoutModel model = makeDropoutModel(p, p.dropout.rate, static_cast<Aggregation>(aggregation));
        const double u = 0.7, v = -0.3;
        const Predictive pred = predictive(model, u, v);
        double total = 0.0;
        for (int i = 0; i < pred.points; ++i) {
            for (int k = 0; k < pred.classes; ++k) {
                compareJet(pred.at(i, k), [&](double a, double b) { return predictive(model, a, b).at(i, k).v; }, u, v);
                ML_COMPARE_CLOSE(std::log(pred.at(i, k).v), pred.logp[static_cast<std::size_t>(i * pred.classes + k)], 1e-13, 0.0);
                total += pred.at(i, k).v;
            }
        }
        ML_COMPARE_CLOSE(total, pred.points, 1e-14, 0.0);
    }

    void arithmeticPredictiveIsTheMaskAverage() {
        // logistic-input-dropout at rate r: four masks over the two inputs, enumerated by hand.
        const Preset p = loadPreset("logistic-input-dropout");
        const double r = 0.3, q = 0.7, w1 = 1.2, w2 = -2.5;
        const Predictive pred = predictive(makeDropoutModel(p, r, Aggregation::Arithmetic), w1, w2);
        for (int i = 0; i < 3; ++i) {
            const double x1 = p.design(i, 0), x2 = p.design(i, 1);
            double expected = 0.0;
            for (int m1 = 0; m1 < 2; ++m1)
                for (int m2 = 0; m2 < 2; ++m2)
                    expected += (m1 ? q : r) * (m2 ? q : r) * sigmoid((w1 * m1 * x1 + w2 * m2 * x2) / q);
            ML_COMPARE_CLOSE(pred.at(i, 1).v, expected, 1e-14, 0.0);
            ML_COMPARE_CLOSE(pred.at(i, 0).v, 1.0 - expected, 1e-14, 0.0);
        }
    }

    void geometricAggregationIsWeightScalingForLogisticRegression() {
        // With inverted input dropout E_m z = w.x, so geometric aggregation gives sigmoid(w.x) at any rate.
        const Preset p = loadPreset("logistic-input-dropout");
        const Predictive pred = predictive(makeDropoutModel(p, 0.6, Aggregation::Geometric), -0.8, 3.1);
        for (int i = 0; i < 3; ++i)
            ML_COMPARE_CLOSE(pred.at(i, 1).v, sigmoid(-0.8 * p.design(i, 0) + 3.1 * p.design(i, 1)), 1e-14, 0.0);
    }

    // Logits of 1e15 and 1e15 - 1: the softmax depends on their difference
    // only, (1/(1 + e^-1), e^-1/(1 + e^-1), 0), though a unit in the last
    // place of 1e15 is 0.125. Equal logits of 1e300 share the mass exactly.
    void softmaxOfLargeLogitsIsExact() {
        const Preset p = loadPreset("trinomial-simplex");
        for (Aggregation agg : {Aggregation::Arithmetic, Aggregation::Geometric}) {
            const Predictive pred = predictive(makeDropoutModel(p, 0.0, agg), 1e15, 1e15 - 1.0);
            ML_COMPARE_CLOSE(pred.at(0, 0).v, 1.0 / (1.0 + std::exp(-1.0)), 1e-15, 0.0);
            ML_COMPARE_CLOSE(pred.at(0, 1).v, std::exp(-1.0) / (1.0 + std::exp(-1.0)), 1e-15, 0.0);
            QCOMPARE(pred.at(0, 2).v, 0.0);
            const Predictive tied = predictive(makeDropoutModel(p, 0.0, agg), 1e300, 1e300);
            QCOMPARE(tied.at(0, 0).v, 0.5);
            QCOMPARE(tied.at(0, 1).v, 0.5);
        }
        const BernoulliProbabilities b = bernoulliProbabilities(1e15);
        QCOMPARE(b.p1, 1.0);
        QCOMPARE(b.p0, 0.0);
    }
};

QTEST_APPLESS_MAIN(TestNetwork)
#include "test_network.moc"

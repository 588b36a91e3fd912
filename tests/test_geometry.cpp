// The Fisher geometry against closed forms and second, independent formulas.

#include "builtin_presets.h"
#include "geometry.h"
#include "predictive.h"
#include "test_support.h"
#include "vertex.h"

#include <Eigen/Dense>
#include <QtTest/QtTest>

#include <cmath>

using namespace manifoldlens;
using namespace manifoldlens::test;

namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

const char* kCategoricalHidden = R"({
  "format": 1, "name": "cat-hidden",
  "design": [[0.5, -0.2], [-1.0, 0.7], [0.3, 0.3]],
  "network": {"hidden": [{"units": 2, "activation": "tanh"}], "output": {"categorical": 3}},
  "weights": {"hidden1": [[1.0, 0.5], [-0.7, 0.2]], "output": [[0.5, -0.2], [0.1, 0.4], [-0.8, 0.3]]},
  "free": [{"weight": "output[1][0]", "range": [-3, 3]}, {"weight": "hidden1[0][1]", "range": [-3, 3]}],
  "dropout": {"sites": ["input", "hidden1"], "rate": 0.3}
})";

// gamma2 and the mean curvature by the definitions, in explicit theta
// coordinates (reference class last) with a dense Fisher matrix G and its
// numerical inverse: an independent path to the same numbers.
struct Direct {
    double gamma;
    double mean;
};

Direct directEmbeddingCurvature(const Predictive& pred, double alpha) {
    const int c = pred.classes - 1;
    const int dim = pred.points * c;
    Eigen::MatrixXd G = Eigen::MatrixXd::Zero(dim, dim);
    Eigen::MatrixXd T(dim, 2);
    std::array<Eigen::VectorXd, 3> th, eta;
    for (auto& x : th) x.setZero(dim);
    for (auto& x : eta) x.setZero(dim);
    const int pa[3] = {0, 0, 1}, pb[3] = {0, 1, 1};
    for (int i = 0; i < pred.points; ++i) {
        const Jet2& ref = pred.at(i, c);
        auto logd = [](const Jet2& p, int a) { return p.d(a) / p.v; };
        auto logdd = [](const Jet2& p, int a, int b) { return p.dd(a, b) / p.v - p.d(a) * p.d(b) / (p.v * p.v); };
        for (int k = 0; k < c; ++k) {
            const Jet2& p = pred.at(i, k);
            const int row = i * c + k;
            for (int l = 0; l < c; ++l) G(row, i * c + l) = (k == l ? p.v : 0.0) - p.v * pred.at(i, l).v;
            for (int a = 0; a < 2; ++a) T(row, a) = logd(p, a) - logd(ref, a);
            for (int ab = 0; ab < 3; ++ab) {
                th[ab](row) = logdd(p, pa[ab], pb[ab]) - logdd(ref, pa[ab], pb[ab]);
                eta[ab](row) = p.dd(pa[ab], pb[ab]);
            }
        }
    }
    const Eigen::MatrixXd Ginv = G.inverse();
    const Eigen::Matrix2d g = T.transpose() * G * T;
    const Eigen::Matrix2d gi = g.inverse();
    const double cp = 0.5 * (1 + alpha), cm = 0.5 * (1 - alpha);
    std::array<Eigen::VectorXd, 3> H, H0;
    for (int ab = 0; ab < 3; ++ab) {
        auto perp = [&](const Eigen::VectorXd& x) -> Eigen::VectorXd {
            return x - T * (gi * (T.transpose() * G * x));
        };
        H[ab] = perp(cp * th[ab] + cm * Ginv * eta[ab]);
        H0[ab] = perp(0.5 * th[ab] + 0.5 * Ginv * eta[ab]);
    }
    auto idx = [](int a, int b) { return a + b; };
    double gamma = 0.0;
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
            for (int cc = 0; cc < 2; ++cc)
                for (int d = 0; d < 2; ++d)
                    gamma += gi(a, cc) * gi(b, d) * H[idx(a, b)].dot(G * H[idx(cc, d)]);
    const Eigen::VectorXd h = 0.5 * (gi(0, 0) * H0[0] + 2 * gi(0, 1) * H0[1] + gi(1, 1) * H0[2]);
    return {gamma, std::sqrt(h.dot(G * h))};
}

// Brioschi's formula: K from the metric E, F, G and its derivatives alone.
double brioschi(const std::function<std::array<double, 3>(double, double)>& metric, double u, double v) {
    std::array<std::array<double, 5>, 3> d;
    for (int c = 0; c < 3; ++c) d[c] = finiteDifferences([&](double a, double b) { return metric(a, b)[c]; }, u, v, 1e-2);
    const auto m = metric(u, v);
    const double E = m[0], F = m[1], G = m[2];
    const double Eu = d[0][0], Ev = d[0][1], Evv = d[0][4];
    const double Fu = d[1][0], Fv = d[1][1], Fuv = d[1][3];
    const double Gu = d[2][0], Gv = d[2][1], Guu = d[2][2];
    Eigen::Matrix3d A, B;
    A << -0.5 * Evv + Fuv - 0.5 * Guu, 0.5 * Eu, Fu - 0.5 * Ev, Fv - 0.5 * Gu, E, F, 0.5 * Gv, F, G;
    B << 0.0, 0.5 * Ev, 0.5 * Gu, 0.5 * Ev, E, F, 0.5 * Gu, F, G;
    const double det = E * G - F * F;
    return (A.determinant() - B.determinant()) / (det * det);
}

ComputeSettings settingsFor(const Preset& p, double rate, Aggregation agg = Aggregation::Arithmetic, double alpha = 0.0) {
    ComputeSettings s = defaultSettings(p);
    s.rate = rate;
    s.aggregation = agg;
    s.alpha = alpha;
    return s;
}

}  // namespace

class TestGeometry : public QObject {
    Q_OBJECT

private slots:
    void trinomialSimplexHasCurvatureOneQuarter() {
        const Preset p = loadPreset("trinomial-simplex");
        const DropoutModel model = makeDropoutModel(p, 0.0, Aggregation::Arithmetic);
        for (double u = -5.0; u <= 5.0; u += 1.25) {
            for (double v = -5.0; v <= 5.0; v += 1.25) {
                const Predictive pred = predictive(model, u, v);
                const VertexGeometry g = geometry(pred, false);
                QVERIFY(g.valid);
                ML_COMPARE_CLOSE(g.gaussian, 0.25, 1e-9, 0.0);
                // The model is all of S: no normal directions, so every embedding curvature vanishes.
                QVERIFY(std::abs(g.gammaEE) < 1e-9 && std::abs(g.gammaMM) < 1e-9 && std::abs(g.mean) < 1e-6);
                // s = 2 sqrt(p) lies on the sphere of radius 2.
                ML_COMPARE_CLOSE(g.point[0] * g.point[0] + g.point[1] * g.point[1] + g.point[2] * g.point[2], 4.0, 1e-14, 0.0);
            }
        }
    }

    void logisticRegressionMetricIsTheFisherInformation() {
        // Rate 0: g = sum_i sigma'(x_i.w) x_i x_i^T.
        const Preset p = loadPreset("logistic-input-dropout");
        const double w1 = 0.9, w2 = -1.7;
        const VertexReport r = evaluateVertex(p, settingsFor(p, 0.0), w1, w2);
        double g11 = 0, g12 = 0, g22 = 0;
        for (int i = 0; i < 3; ++i) {
            const double x1 = p.design(i, 0), x2 = p.design(i, 1);
            const double s = sigmoid(w1 * x1 + w2 * x2);
            g11 += s * (1 - s) * x1 * x1;
            g12 += s * (1 - s) * x1 * x2;
            g22 += s * (1 - s) * x2 * x2;
        }
        ML_COMPARE_CLOSE(r.geometry.g11, g11, 1e-13, 0.0);
        ML_COMPARE_CLOSE(r.geometry.g12, g12, 1e-13, 0.0);
        ML_COMPARE_CLOSE(r.geometry.g22, g22, 1e-13, 0.0);
        ML_COMPARE_CLOSE(r.geometry.metricDet, g11 * g22 - g12 * g12, 1e-12, 0.0);
        // phi_i = 2 asin sqrt(p_i(1)).
        ML_COMPARE_CLOSE(r.geometry.point[1], 2 * std::asin(std::sqrt(sigmoid(w1 * 0.3 + w2 * 1.0))), 1e-14, 0.0);
    }

    void exponentialFamilyHasZeroStatisticalCurvature() {
        const Preset p = loadPreset("logistic-input-dropout");
        for (double u : {-3.0, 0.5, 2.5}) {
            for (double v : {-2.0, 1.0}) {
                const VertexReport r = evaluateVertex(p, settingsFor(p, 0.0), u, v);
                QVERIFY(r.geometry.valid);
                QVERIFY2(std::abs(r.statisticalCurvature()) < 1e-12 * r.embeddingCurvatureM(),
                         qPrintable(QString::number(r.statisticalCurvature())));
                QVERIFY(r.embeddingCurvatureM() > 1e-3);
                // With dropout the arithmetic model leaves the exponential family.
                QVERIFY(evaluateVertex(p, settingsFor(p, 0.5), u, v).statisticalCurvature() > 1e-6);
            }
        }
    }

    void geometricAggregationReproducesRateZeroForLogisticRegression() {
        const Preset p = loadPreset("logistic-input-dropout");
        for (double rate : {0.2, 0.5, 0.9}) {
            const VertexReport a = evaluateVertex(p, settingsFor(p, 0.0), 1.3, -0.6);
            const VertexReport b = evaluateVertex(p, settingsFor(p, rate, Aggregation::Geometric), 1.3, -0.6);
            for (int i = 0; i < 3; ++i) ML_COMPARE_CLOSE(b.probabilities[i][1], a.probabilities[i][1], 1e-14, 0.0);
            ML_COMPARE_CLOSE(b.geometry.metricDet, a.geometry.metricDet, 1e-13, 0.0);
            ML_COMPARE_CLOSE(b.geometry.gaussian, a.geometry.gaussian, 1e-11, 0.0);
            ML_COMPARE_CLOSE(b.geometry.gammaMM, a.geometry.gammaMM, 1e-11, 0.0);
            ML_COMPARE_CLOSE(b.geometry.mean, a.geometry.mean, 1e-11, 0.0);
            QVERIFY(std::abs(b.statisticalCurvature()) < 1e-12);
        }
    }

    void embeddingCurvatureMatchesTheDefinition_data() {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<double>("u");
        QTest::addColumn<double>("v");
        QTest::addColumn<int>("aggregation");
        const QString logistic = QString::fromStdString(*builtinPresetText("logistic-input-dropout"));
        const QString hiddenUnit = QString::fromStdString(*builtinPresetText("single-hidden-unit"));
        const QString categorical = QString::fromLatin1(kCategoricalHidden);
        QTest::newRow("logistic arithmetic") << logistic << 1.1 << -2.0 << int(Aggregation::Arithmetic);
        QTest::newRow("hidden unit arithmetic") << hiddenUnit << 0.8 << 1.5 << int(Aggregation::Arithmetic);
        QTest::newRow("hidden unit geometric") << hiddenUnit << -1.4 << -0.7 << int(Aggregation::Geometric);
        QTest::newRow("categorical arithmetic") << categorical << 0.4 << -1.2 << int(Aggregation::Arithmetic);
        QTest::newRow("categorical geometric") << categorical << -2.1 << 0.9 << int(Aggregation::Geometric);
    }
    void embeddingCurvatureMatchesTheDefinition() {
        QFETCH(QString, preset);
        QFETCH(double, u);
        QFETCH(double, v);
        QFETCH(int, aggregation);
        const Preset p = presetFromText(preset.toStdString());
        const Predictive pred = predictive(makeDropoutModel(p, p.dropout.rate, static_cast<Aggregation>(aggregation)), u, v);
        const VertexGeometry g = geometry(pred, p.bernoulli);
        QVERIFY(g.valid);
        for (double alpha : {-1.0, -0.4, 0.0, 0.37, 1.0}) {
            const Direct d = directEmbeddingCurvature(pred, alpha);
            ML_COMPARE_CLOSE(embeddingCurvature(g, alpha), d.gamma, 1e-9, 1e-13);
            ML_COMPARE_CLOSE(g.mean, d.mean, 1e-9, 1e-13);
        }
        // H^(0) = (H^(e) + H^(m)) / 2 makes gamma2 a quadratic in alpha through these three values.
        const double e = embeddingCurvature(g, 1.0), m = embeddingCurvature(g, -1.0), z = embeddingCurvature(g, 0.0);
        const double alpha = 0.6;
        const double lagrange = e * alpha * (alpha + 1) / 2 + m * alpha * (alpha - 1) / 2 + z * (1 - alpha * alpha);
        ML_COMPARE_CLOSE(embeddingCurvature(g, alpha), lagrange, 1e-12, 1e-15);
    }

    void gaussEquationAgreesWithBrioschi_data() {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("u");
        QTest::addColumn<double>("v");
        const QString logistic = QString::fromStdString(*builtinPresetText("logistic-input-dropout"));
        const QString hiddenUnit = QString::fromStdString(*builtinPresetText("single-hidden-unit"));
        QTest::newRow("logistic rate 0") << logistic << 0.0 << 1.0 << 0.5;
        QTest::newRow("logistic rate 0.5") << logistic << 0.5 << -1.5 << 2.0;
        QTest::newRow("logistic rate 0.9") << logistic << 0.9 << 0.3 << -0.8;
        QTest::newRow("hidden unit rate 0.3") << hiddenUnit << 0.3 << 1.2 << -2.0;
        QTest::newRow("hidden unit rate 0.7") << hiddenUnit << 0.7 << -0.9 << 1.1;
        QTest::newRow("categorical") << QString::fromLatin1(kCategoricalHidden) << 0.3 << 0.4 << -0.5;
    }
    void gaussEquationAgreesWithBrioschi() {
        QFETCH(QString, preset);
        QFETCH(double, rate);
        QFETCH(double, u);
        QFETCH(double, v);
        const Preset p = presetFromText(preset.toStdString());
        const DropoutModel model = makeDropoutModel(p, rate, Aggregation::Arithmetic);
        auto metric = [&](double a, double b) {
            const VertexGeometry g = geometry(predictive(model, a, b), p.bernoulli);
            return std::array<double, 3>{g.g11, g.g12, g.g22};
        };
        const VertexGeometry g = geometry(predictive(model, u, v), p.bernoulli);
        QVERIFY(g.valid);
        const double k = brioschi(metric, u, v);
        ML_COMPARE_CLOSE(g.gaussian, k, 1e-6, 1e-9 * (1.0 + std::abs(k)));
    }

    void singularLineOfTheHiddenUnitIsFlagged() {
        const Preset p = loadPreset("single-hidden-unit");
        // z = v tanh(a x m / q): at a = 0 every hidden activation vanishes and d_v z = 0; at v = 0, d_a z = 0.
        for (double v : {-4.0, -1.0, 0.0, 2.5}) {
            const VertexReport r = evaluateVertex(p, defaultSettings(p), 0.0, v);
            QVERIFY(!r.geometry.valid);
            QVERIFY(std::isnan(r.geometry.gaussian) && std::isnan(r.statisticalCurvature()) && std::isnan(r.geometry.mean));
            QVERIFY(std::isfinite(r.penaltyExact));
            QCOMPARE(r.geometry.g22, 0.0);
            QCOMPARE(evaluateVertex(p, defaultSettings(p), 0.5, v).geometry.valid, v != 0.0);
        }
        for (double a : {-2.0, 1.0}) QVERIFY(!evaluateVertex(p, defaultSettings(p), a, 0.0).geometry.valid);
    }

    void saturatedProbabilitiesAreFlagged() {
        // Logits of +-60: the probabilities round to exactly 0 and 1.
        const Preset p = loadPreset("trinomial-simplex");
        const VertexReport r = evaluateVertex(p, defaultSettings(p), 800.0, -800.0);
        QVERIFY(!r.geometry.valid);
        QVERIFY(std::isnan(r.geometry.gaussian));
    }

    void logisticQuadraticPenaltyIsFisherWeightedL2() {
        // R_q = rate / (2 q) sum_j w_j^2 sum_i sigma'(x_i.w) x_ij^2.
        const Preset p = loadPreset("logistic-input-dropout");
        for (double rate : {0.1, 0.5, 0.8}) {
            const double q = 1 - rate, w[2] = {1.4, -0.9};
            double expected = 0.0, exact = 0.0;
            for (int i = 0; i < 3; ++i) {
                const double x[2] = {p.design(i, 0), p.design(i, 1)};
                const double s = sigmoid(w[0] * x[0] + w[1] * x[1]);
                for (int j = 0; j < 2; ++j) expected += rate / (2 * q) * w[j] * w[j] * s * (1 - s) * x[j] * x[j];
                // Exact penalty: E_m A(z) - A(E_m z), A(z) = log(1 + e^z), over the four masks.
                double meanA = 0.0;
                for (int m1 = 0; m1 < 2; ++m1)
                    for (int m2 = 0; m2 < 2; ++m2)
                        meanA += (m1 ? q : rate) * (m2 ? q : rate) *
                                 std::log1p(std::exp((w[0] * m1 * x[0] + w[1] * m2 * x[1]) / q));
                exact += meanA - std::log1p(std::exp(w[0] * x[0] + w[1] * x[1]));
            }
            const VertexReport r = evaluateVertex(p, settingsFor(p, rate), w[0], w[1]);
            ML_COMPARE_CLOSE(r.penaltyQuadratic, expected, 1e-12, 0.0);
            ML_COMPARE_CLOSE(r.penaltyExact, exact, 1e-11, 0.0);
        }
        const VertexReport none = evaluateVertex(p, settingsFor(p, 0.0), 1.4, -0.9);
        QCOMPARE(none.penaltyExact, 0.0);
        QCOMPARE(none.penaltyQuadratic, 0.0);
    }

    void categoricalQuadraticPenaltyUsesTheSoftmaxHessian() {
        // One design point x = 1 under input dropout: z = (w0, w1, 0) m / q, so Cov z = (r/q) w w^T and
        // tr((diag p - p p^T) Cov z) = (r/q) Var_p(w), the variance of the mean logits under p.
        const Preset p = loadPreset("trinomial-simplex");
        const double rate = 0.4, q = 0.6, w0 = 1.5, w1 = -0.5;
        const VertexReport r = evaluateVertex(p, settingsFor(p, rate), w0, w1);
        const double z[3] = {w0, w1, 0.0};
        const double s = std::exp(z[0]) + std::exp(z[1]) + 1.0;
        double mean = 0.0, second = 0.0;
        for (double zk : z) {
            mean += std::exp(zk) / s * zk;
            second += std::exp(zk) / s * zk * zk;
        }
        ML_COMPARE_CLOSE(r.penaltyQuadratic, 0.5 * rate / q * (second - mean * mean), 1e-12, 0.0);
        const double exact = rate * std::log(3.0) + q * std::log(std::exp(w0 / q) + std::exp(w1 / q) + 1.0) - std::log(s);
        ML_COMPARE_CLOSE(r.penaltyExact, exact, 1e-12, 0.0);
    }

    // The names agree with what geometry() puts in each display coordinate.
    void displayCoordinateNamesMatchThePoint() {
        using Names = std::array<std::string, 3>;
        QCOMPARE(displayCoordinateNames(loadPreset("logistic-input-dropout")),
                 (Names{"phi_1 = 2 asin sqrt p_1(1)", "phi_2 = 2 asin sqrt p_2(1)", "phi_3 = 2 asin sqrt p_3(1)"}));
        const Preset trinomial = loadPreset("trinomial-simplex");
        QCOMPARE(displayCoordinateNames(trinomial),
                 (Names{"s_1 = 2 sqrt p_1(0)", "s_2 = 2 sqrt p_1(1)", "s_3 = 2 sqrt p_1(2)"}));
        const Predictive pred = predictive(makeDropoutModel(trinomial, 0.0, Aggregation::Arithmetic), 0.3, -1.2);
        const VertexGeometry g = geometry(pred, false);
        for (int k = 0; k < 3; ++k) QCOMPARE(g.point[static_cast<std::size_t>(k)], 2.0 * std::sqrt(pred.at(0, k).v));
        const Preset minimal = loadPreset(MANIFOLDLENS_TEST_DATA_DIR "/preset-minimal.json");  // one Bernoulli point
        QCOMPARE(displayCoordinateNames(minimal), (Names{"phi_1 = 2 asin sqrt p_1(1)", "", ""}));
    }
};

QTEST_APPLESS_MAIN(TestGeometry)
#include "test_geometry.moc"

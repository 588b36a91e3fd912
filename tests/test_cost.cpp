// Tests of the cost estimates: the work per vertex in closed form, the memory
// estimate against what the kernels' models and the grid actually allocate
// (counted here from their arrays), the machine's memory against
// /proc/meminfo, and the refusal of a computation over its limit.

#include "builtin_presets.h"
#include "cost.h"
#include "grid.h"
#include "simd_model.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace manifoldlens;
using manifoldlens::test::presetFromText;

namespace {

template <class T>
double bytesOf(const std::vector<T>& v) {
    return static_cast<double>(v.capacity() * sizeof(T));
}

template <class T>
double bytesOf(const std::vector<std::vector<T>>& vv) {
    double b = static_cast<double>(vv.capacity() * sizeof(std::vector<T>));
    for (const std::vector<T>& v : vv) b += bytesOf(v);
    return b;
}

// Every array a SimdModel holds, and the masks it was built from.
double allocatedBytes(const SimdModel& m) {
    double b = bytesOf(m.design) + bytesOf(m.width) + bytesOf(m.activation) + bytesOf(m.weight) + bytesOf(m.bias) +
               bytesOf(m.maskWeight) + bytesOf(m.maskFraction) + bytesOf(m.maskScale) + bytesOf(m.siteOffset) +
               bytesOf(m.us) + bytesOf(m.vs) + bytesOf(m.freeWeight) + bytesOf(m.freeBias) + bytesOf(m.varying) +
               bytesOf(m.constant) + bytesOf(m.linear) + bytesOf(m.affinePoints) + bytesOf(m.groupWeight) +
               bytesOf(m.logAfter);
    for (const SimdModel::LinearLogit& g : m.linear) b += bytesOf(g.terms);
    for (const SimdModel::AffinePoint& p : m.affinePoints)
        b += bytesOf(p.masks) + bytesOf(p.expU) + bytesOf(p.expV) + bytesOf(p.expUMean) + bytesOf(p.expVMean);
    return b + static_cast<double>(m.maskWeight.size()) * (sizeof(std::uint32_t) + sizeof(double));
}

double allocatedBytes(const GridResult& r) {
    double b = bytesOf(r.valid);
    for (const std::vector<double>* f : {&r.x, &r.y, &r.z, &r.metricDet, &r.gaussian, &r.mean, &r.gammaEE, &r.gammaEM,
                                         &r.gammaMM, &r.penaltyExact, &r.penaltyQuadratic})
        b += bytesOf(*f);
    return b;
}

// Two inputs, a hidden layer of `units` tanh units with dropout, and a softmax of 4 classes at 5 points.
Preset hiddenSoftmax(int units) {
    std::ostringstream json;
    json << R"({"format": 1, "name": "hidden-softmax",
        "design": [[1, 0.2], [0.3, 1], [-0.7, 0.6], [0.5, -0.5], [0, 1.5]],
        "network": {"hidden": [{"units": )"
         << units << R"(, "activation": "tanh"}], "output": {"categorical": 4}},
        "weights": {"hidden1": [)";
    for (int j = 0; j < units; ++j) json << (j ? ", " : "") << "[0.3, " << -0.1 * j << "]";
    json << R"(]},
        "free": [{"weight": "hidden1[0][0]", "range": [-2, 2]}, {"weight": "output[1][0]", "range": [-2, 2]}],
        "dropout": {"sites": ["hidden1"], "rate": 0.4}})";
    return presetFromText(json.str());
}

// A softmax of 3 classes without hidden layers, its 6 inputs dropped, at 4 points.
Preset droppedSoftmax() {
    return presetFromText(R"({"format": 1, "name": "dropped-softmax",
        "design": [[1, 0, 2, 1, 0, 1], [0, 1, 1, 0, 2, 1], [1, 1, 0, 2, 1, 0], [2, 0, 1, 1, 1, 1]],
        "network": {"output": {"categorical": 3}},
        "free": [{"weight": "output[0][0]", "range": [-2, 2]}, {"weight": "output[2][3]", "range": [-2, 2]}],
        "dropout": {"sites": ["input"], "rate": 0.5}})");
}

}  // namespace

class TestCost : public QObject {
    Q_OBJECT

private slots:
    // 2^U masks x N points x (weights + classes), counted by hand.
    void vertexWorkCountsTheForwardPasses() {
        const Preset logistic = loadPreset("logistic-input-dropout");  // 2 dropped inputs, 3 points, 2 weights
        ComputeSettings s = defaultSettings(logistic);
        QCOMPARE(maskCount(logistic, s), 4.0);
        QCOMPARE(vertexWork(logistic, s), 4.0 * 3 * (2 + 2));
        s.rate = 0.0;
        QCOMPARE(maskCount(logistic, s), 1.0);
        QCOMPARE(vertexWork(logistic, s), 1.0 * 3 * (2 + 2));

        const Preset hidden = hiddenSoftmax(6);  // 2 x 6 + 6 x 4 weights, 4 classes, 5 points, 2^6 masks
        QCOMPARE(vertexWork(hidden, defaultSettings(hidden)), 64.0 * 5 * (12 + 24 + 4));
    }

    // The estimate is within a factor of two of what the kernel's model and
    // the grid hold, for every structure the SIMD model plans for; the grid's
    // arrays are counted exactly.
    void memoryEstimateMatchesTheAllocations_data() {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<int>("resolution");
        for (const std::string& name : builtinPresetNames())
            for (const int res : {17, 129})
                QTest::addRow("%s-%d", name.c_str(), res) << QString::fromStdString(name) << res;
        QTest::addRow("hidden-softmax-10") << "hidden-softmax" << 33;
        QTest::addRow("dropped-softmax") << "dropped-softmax" << 33;
    }
    void memoryEstimateMatchesTheAllocations() {
        QFETCH(QString, preset);
        QFETCH(int, resolution);
        const Preset p = preset == "hidden-softmax"    ? hiddenSoftmax(10)
                         : preset == "dropped-softmax" ? droppedSoftmax()
                                                       : loadPreset(preset.toStdString());
        ComputeSettings s = defaultSettings(p);
        s.resolution = resolution;
        const MemoryEstimate e = estimateMemory(p, s, true, 1);
        const double model = allocatedBytes(makeSimdModel(p, s));
        QVERIFY2(e.model >= 0.5 * model && e.model <= 2.0 * model,
                 qPrintable(QStringLiteral("estimate %1, allocated %2").arg(e.model).arg(model)));
        ComputeControl c;
        c.threads = 1;
        QCOMPARE(e.grid, allocatedBytes(*computeGrid(p, s, c)));
        QCOMPARE(e.grid, 89.0 * resolution * resolution);

        // The scalar reference keeps only the masks.
        const MemoryEstimate scalar = estimateMemory(p, s, false, 1);
        QCOMPARE(scalar.model, maskCount(p, s) * 12.0);
        QCOMPARE(scalar.scratch, 0.0);
        QCOMPARE(scalar.grid, e.grid);
    }

    // The tables grow with points x masks x units, and each thread's scratch
    // holds the logit jets and probabilities (9 rows of 8 lanes) of every mask.
    void largeModelsNeedTheirTablesAndScratch() {
        const Preset wide = hiddenSoftmax(20);
        const ComputeSettings s = defaultSettings(wide);
        const double masks = std::ldexp(1.0, 20);
        const double tables = 5.0 * masks * (2 + 20 + 4) * 8;
        const MemoryEstimate e = estimateMemory(wide, s, true, 4);
        QVERIFY(e.model > tables);
        QVERIFY(e.model < 2.0 * tables);
        const double scratch = 4 * 9.0 * masks * 8 * 8;
        QVERIFY2(e.scratch >= scratch && e.scratch < 1.01 * scratch, qPrintable(QString::number(e.scratch)));
        QCOMPARE(estimateMemory(wide, s, true, 1).scratch * 4, e.scratch);
        QCOMPARE(estimateMemory(wide, s, true, 1).model, e.model);
    }

    void physicalMemoryIsTheKernelsTotal() {
        std::ifstream meminfo("/proc/meminfo");
        std::string key;
        double kB = 0.0;
        while (meminfo >> key) {
            if (key == "MemTotal:") {
                meminfo >> kB;
                break;
            }
            meminfo.ignore(1 << 10, '\n');
        }
        QVERIFY(kB > 0.0);
        QCOMPARE(physicalMemoryBytes(), kB * 1024.0);
        // Three quarters of the physical memory, or of the container's limit where it is less.
        const double container = containerMemoryBytes();
        QVERIFY(container >= 0.0);
        QCOMPARE(defaultMemoryLimit(), 0.75 * (container > 0.0 ? std::min(container, kB * 1024.0) : kB * 1024.0));
        QCOMPARE(ComputeControl{}.memoryLimit, defaultMemoryLimit());
    }

    // Over the limit: a message naming the need, the limit and what to reduce;
    // the computation is refused before it allocates, leaving its output as it was.
    void aComputationOverItsLimitIsRefused() {
        const Preset p = hiddenSoftmax(10);
        ComputeSettings s = defaultSettings(p);
        s.resolution = 33;
        const MemoryEstimate e = estimateMemory(p, s, true, 1);
        QVERIFY(!checkMemory(p, s, true, 1, e.total()));
        const std::optional<std::string> tables = checkMemory(p, s, true, 1, e.total() * 0.99);
        QVERIFY(tables);
        const QString message = QString::fromStdString(*tables);
        QVERIFY2(message.contains("needs about " + QString::fromStdString(formatBytes(e.total()))), qPrintable(message));
        QVERIFY2(message.contains("limit of " + QString::fromStdString(formatBytes(e.total() * 0.99))), qPrintable(message));
        QVERIFY2(message.contains("2^10 masks x 5 design points"), qPrintable(message));
        QVERIFY2(message.endsWith("drop fewer units, or use fewer design points or narrower layers"), qPrintable(message));

        ComputeSettings two = defaultSettings(hiddenSoftmax(20));
        two.resolution = 2;
        const std::optional<std::string> masks = checkMemory(hiddenSoftmax(20), two, false, 1, 1e6);
        QVERIFY(masks);
        QVERIFY2(QString::fromStdString(*masks).endsWith("the 2^20 masks take 12.6 MB; drop fewer units"), masks->c_str());

        const Preset logistic = loadPreset("logistic-input-dropout");
        ComputeSettings big = defaultSettings(logistic);
        big.resolution = 4097;
        const std::optional<std::string> grid = checkMemory(logistic, big, false, 1, 1e9);
        QVERIFY(grid);
        QVERIFY2(QString::fromStdString(*grid).contains("the 4097 x 4097 grid takes 1.5 GB; lower the resolution"),
                 grid->c_str());

        ComputeControl c;
        c.threads = 1;
        c.memoryLimit = e.total() * 0.99;
        GridResult out = *computeGrid(p, s, ComputeControl{});
        const GridResult before = out;
        try {
            computeGridInto(out, p, s, c);
            QFAIL("a computation over its memory limit was not refused");
        } catch (const std::invalid_argument& error) {
            QCOMPARE(QString::fromUtf8(error.what()), message);
        }
        QCOMPARE(out.spec.resolution, before.spec.resolution);
        QCOMPARE(out.gaussian.size(), before.gaussian.size());
    }

    void bytesAreFormattedForMessages() {
        QCOMPARE(formatBytes(0), std::string("0 bytes"));
        QCOMPARE(formatBytes(999), std::string("999 bytes"));
        QCOMPARE(formatBytes(1500), std::string("1.5 kB"));
        QCOMPARE(formatBytes(999949), std::string("999.9 kB"));
        QCOMPARE(formatBytes(999950), std::string("1.0 MB"));
        QCOMPARE(formatBytes(26.1e9), std::string("26.1 GB"));
        QCOMPARE(formatBytes(3e18), std::string("3000.0 PB"));
    }
};

QTEST_APPLESS_MAIN(TestCost)
#include "test_cost.moc"

// The command line, run as a user runs it: exit statuses, messages, output.

#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <functional>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs manifold-lens; setUp may change its environment or redirect its output first.
Run run(const QStringList& args, const std::function<void(QProcess&)>& setUp = {}) {
    QProcess p;
    p.setProgram(QStringLiteral(MANIFOLDLENS_EXE));
    p.setArguments(args);
    if (setUp) setUp(p);
    p.start();
    if (!p.waitForFinished(120000)) qFatal("manifold-lens did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject probe(const QStringList& args) {
    const Run r = run(args);
    if (r.exitCode != 0) qFatal("probe failed: %s", qPrintable(r.err));
    return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

// The process environment without a display, with the Qt platform set to platform (none: unset).
std::function<void(QProcess&)> withoutDisplay(const QString& platform = {}) {
    return [platform](QProcess& p) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        if (!platform.isEmpty()) env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
        p.setProcessEnvironment(env);
    };
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write fixture");
    f.write(content);
    return path;
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void threadsScalarAndBenchmarkOptions() {
        for (const char* bad : {"0", "257", "1.5", "x"}) {
            const Run r = run({QStringLiteral("--threads"), QLatin1String(bad), QStringLiteral("--probe"), QStringLiteral("0,0")});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("--threads")), qPrintable(r.err));
        }
        const Run scalarValue = run({QStringLiteral("--scalar=yes"), QStringLiteral("--probe"), QStringLiteral("0,0")});
        QCOMPARE(scalarValue.exitCode, 2);
        QVERIFY(scalarValue.err.contains(QStringLiteral("--scalar")));
        const Run benchValue = run({QStringLiteral("--benchmark=1")});
        QCOMPARE(benchValue.exitCode, 2);
        QVERIFY(benchValue.err.contains(QStringLiteral("--benchmark")));
        const Run benchScalar = run({QStringLiteral("--benchmark"), QStringLiteral("--scalar")});
        QCOMPARE(benchScalar.exitCode, 2);
        QVERIFY2(benchScalar.err.contains(QStringLiteral("--scalar")) && benchScalar.out.isEmpty(), qPrintable(benchScalar.err));
        QVERIFY(run({QStringLiteral("--help")}).out.contains(QStringLiteral("--threads N")));

        const Run bench = run({QStringLiteral("--benchmark"), QStringLiteral("--resolution"), QStringLiteral("17"),
                               QStringLiteral("--threads"), QStringLiteral("2")});
        QCOMPARE(bench.exitCode, 0);
        QJsonParseError error{};
        const QJsonObject o = QJsonDocument::fromJson(bench.out.toUtf8(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        for (const char* key : {"preset", "resolution", "vertices", "simd_target", "threads", "ms_median", "ns_per_vertex",
                                "scalar_ns_per_vertex", "speedup_simd", "speedup_threads"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o.value(QStringLiteral("preset")).toString(), QStringLiteral("logistic-input-dropout"));
        QCOMPARE(o.value(QStringLiteral("resolution")).toInt(), 17);
        QCOMPARE(o.value(QStringLiteral("vertices")).toInt(), 289);
        QCOMPARE(o.value(QStringLiteral("threads")).toInt(), 2);
        QVERIFY(!o.value(QStringLiteral("simd_target")).toString().isEmpty());
        QVERIFY(o.value(QStringLiteral("ns_per_vertex")).toDouble() > 0.0);

        // --scalar and --threads reach the export: the same CSV as the default kernel up to rounding.
        QTemporaryDir dir;
        const QString a = dir.filePath(QStringLiteral("a.csv")), b = dir.filePath(QStringLiteral("b.csv"));
        QCOMPARE(run({QStringLiteral("--resolution"), QStringLiteral("9"), QStringLiteral("--export"), a}).exitCode, 0);
        QCOMPARE(run({QStringLiteral("--resolution"), QStringLiteral("9"), QStringLiteral("--scalar"), QStringLiteral("--threads"),
                      QStringLiteral("1"), QStringLiteral("--export"), b})
                     .exitCode,
                 0);
        QVERIFY(QFileInfo(a).size() > 0 && QFileInfo(b).size() > 0);
    }

    void helpVersionAndPresetList() {
        const Run help = run({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("--probe U,V")));
        const Run version = run({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(QStringLiteral("manifold-lens 0.")));
        const Run list = run({QStringLiteral("--list-presets")});
        QCOMPARE(list.exitCode, 0);
        for (const char* name : {"logistic-input-dropout (default)", "single-hidden-unit", "trinomial-simplex"})
            QVERIFY2(list.out.contains(QLatin1String(name)), name);
    }

    void probePrintsEveryFieldInOrder() {
        const QStringList args{QStringLiteral("--preset"), QStringLiteral("trinomial-simplex"), QStringLiteral("--probe"),
                               QStringLiteral("1.5,-2"), QStringLiteral("--alpha"), QStringLiteral("0.25")};
        const Run r = run(args);
        QCOMPARE(r.exitCode, 0);
        const QStringList keys{QStringLiteral("u"), QStringLiteral("v"), QStringLiteral("point"), QStringLiteral("probabilities"),
                               QStringLiteral("metric"), QStringLiteral("metric_det"), QStringLiteral("gaussian_curvature"),
                               QStringLiteral("mean_curvature"), QStringLiteral("statistical_curvature_e"),
                               QStringLiteral("embedding_curvature_m"), QStringLiteral("embedding_curvature_0"),
                               QStringLiteral("alpha"), QStringLiteral("embedding_curvature"),
                               QStringLiteral("dropout_penalty_exact"), QStringLiteral("dropout_penalty_quadratic"),
                               QStringLiteral("valid")};
        qsizetype last = -1;
        for (const QString& key : keys) {
            const qsizetype at = r.out.indexOf(QLatin1Char('"') + key + QLatin1String("\":"));
            QVERIFY2(at > last, qPrintable(key));
            last = at;
        }
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("u")).toDouble(), 1.5);
        QCOMPARE(o.value(QStringLiteral("alpha")).toDouble(), 0.25);
        QVERIFY(std::abs(o.value(QStringLiteral("gaussian_curvature")).toDouble() - 0.25) < 1e-9);
        // softmax(1.5, -2, 0)
        const double s = std::exp(1.5) + std::exp(-2.0) + 1.0;
        const QJsonArray p = o.value(QStringLiteral("probabilities")).toArray().at(0).toArray();
        QCOMPARE(p.size(), 3);
        QVERIFY(std::abs(p.at(0).toDouble() - std::exp(1.5) / s) < 1e-15);
        QCOMPARE(o.value(QStringLiteral("valid")).toBool(), true);
    }

    void probeOfASingularPointPrintsNulls() {
        const QJsonObject o = probe({QStringLiteral("--preset"), QStringLiteral("single-hidden-unit"), QStringLiteral("--probe"),
                                     QStringLiteral("0,1.5")});
        QCOMPARE(o.value(QStringLiteral("valid")).toBool(), false);
        QVERIFY(o.value(QStringLiteral("gaussian_curvature")).isNull());
        QVERIFY(o.value(QStringLiteral("statistical_curvature_e")).isNull());
        QVERIFY(o.value(QStringLiteral("metric_det")).isDouble());
    }

    void overridesReachTheComputation() {
        const QStringList base{QStringLiteral("--probe"), QStringLiteral("1,1")};
        const QJsonObject a = probe(base + QStringList{QStringLiteral("--dropout"), QStringLiteral("0")});
        const QJsonObject g = probe(base + QStringList{QStringLiteral("--dropout=0.7"), QStringLiteral("--aggregation"),
                                                       QStringLiteral("geometric")});
        const QJsonObject d = probe(base);
        // Geometric aggregation of logistic regression is weight scaling: the rate-0 model.
        QVERIFY(std::abs(a.value(QStringLiteral("metric_det")).toDouble() - g.value(QStringLiteral("metric_det")).toDouble()) <
                1e-14);
        QVERIFY(d.value(QStringLiteral("dropout_penalty_exact")).toDouble() > 0.0);
        QCOMPARE(a.value(QStringLiteral("dropout_penalty_exact")).toDouble(), 0.0);
    }

    void exportWritesTheGrid() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("grid.csv"));
        const Run r = run({QStringLiteral("--preset"), QStringLiteral("single-hidden-unit"), QStringLiteral("--resolution"),
                           QStringLiteral("7"), QStringLiteral("--export"), path});
        QCOMPARE(r.exitCode, 0);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 49);
        QVERIFY(lines.at(0).startsWith(QStringLiteral("u,v,x,y,z,metric_det,")));
        QVERIFY(lines.at(1).startsWith(QStringLiteral("-3,-4,")));
        QVERIFY(lines.at(4).endsWith(QStringLiteral(",0")));  // a = 0 is singular
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void numbersTooSmallForADoubleAreZero() {
        const QJsonObject tiny = probe({QStringLiteral("--dropout"), QStringLiteral("1e-400"), QStringLiteral("--probe"),
                                        QStringLiteral("-1e-400,1")});
        QCOMPARE(tiny.value(QStringLiteral("u")).toDouble(), 0.0);
        QCOMPARE(tiny.value(QStringLiteral("dropout_penalty_exact")).toDouble(), 0.0);
        const QJsonObject subnormal = probe({QStringLiteral("--probe"), QStringLiteral("5e-324,1")});
        QVERIFY(subnormal.value(QStringLiteral("u")).toDouble() > 0.0);
    }

    void fileTypesIgnoreCase() {
        QTemporaryDir dir;
        const QString upper = dir.filePath(QStringLiteral("GRID.CSV"));
        const Run r = run({QStringLiteral("--resolution"), QStringLiteral("3"), QStringLiteral("--export"), upper});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QFileInfo(upper).size() > 0);
    }

    void desktopWithoutDisplaySaysSo() {
        QTemporaryDir dir;
        const QString shot = dir.filePath(QStringLiteral("s.png"));
        for (const QStringList& args : {QStringList{}, QStringList{QStringLiteral("--screenshot"), shot}}) {
            const Run r = run(args, withoutDisplay());
            if (r.err.contains(QStringLiteral("this build has no desktop app"))) QSKIP("this build has no desktop app");
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("no display to open the window on (DISPLAY is not set)")), qPrintable(r.err));
        }
        // What can be checked without a display is checked first.
        Run r = run({QStringLiteral("--preset"), QStringLiteral("nonexistent")}, withoutDisplay());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("no built-in preset named 'nonexistent'")) && !r.err.contains(QStringLiteral("display")),
                 qPrintable(r.err));
        const QString missing = dir.filePath(QStringLiteral("missing/s.png"));
        r = run({QStringLiteral("--screenshot"), missing}, withoutDisplay());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(missing + QStringLiteral(": the directory does not exist")), qPrintable(r.err));
        r = run({QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("s.jpg"))}, withoutDisplay());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("unsupported file type '.jpg' (supported: .png)")), qPrintable(r.err));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), 0);
    }

    // DISPLAY names a display no X server serves: Qt would abort.
    void anUnreachableDisplayIsReported() {
        QTemporaryDir dir;
        const QString shot = dir.filePath(QStringLiteral("s.png"));
        const Run r = run({QStringLiteral("--screenshot"), shot}, [](QProcess& p) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("QT_QPA_PLATFORM"));
            env.remove(QStringLiteral("WAYLAND_DISPLAY"));
            env.insert(QStringLiteral("DISPLAY"), QStringLiteral(":987"));
            p.setProcessEnvironment(env);
        });
        if (r.err.contains(QStringLiteral("this build has no desktop app"))) QSKIP("this build has no desktop app");
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("cannot open the display ':987' (is an X server running there?)")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(shot));
    }

    void platformsWithoutOpenGlAreRefused() {
        QTemporaryDir dir;
        for (const QString& platform : {QStringLiteral("offscreen"), QStringLiteral("minimal")}) {
            const Run r = run({QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("s.png")), QStringLiteral("--resolution"),
                               QStringLiteral("17")},
                              withoutDisplay(platform));
            if (r.err.contains(QStringLiteral("this build has no desktop app"))) QSKIP("this build has no desktop app");
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("the Qt platform '") + platform + QStringLiteral("'")), qPrintable(r.err));
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), 0);
    }

    void unwritableStandardOutputIsAnError() {
        const auto toFull = [](QProcess& p) { p.setStandardOutputFile(QStringLiteral("/dev/full")); };
        for (const QStringList& args :
             {QStringList{QStringLiteral("--probe"), QStringLiteral("0,0")}, QStringList{QStringLiteral("--help")},
              QStringList{QStringLiteral("--version")}, QStringList{QStringLiteral("--list-presets")},
              QStringList{QStringLiteral("--benchmark"), QStringLiteral("--resolution"), QStringLiteral("3")}}) {
            const Run r = run(args, toFull);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("manifold-lens: cannot write to standard output")), qPrintable(r.err));
        }
    }

    // A preset of 20 dropped inputs at `points` design points, behind three hidden layers of `units` (0: none).
    static QByteArray droppedInputsPreset(int points, int units) {
        QJsonArray design, weights;
        for (int i = 0; i < points; ++i) {
            QJsonArray x;
            for (int j = 0; j < 20; ++j) x.append(0.01 * ((7 * i + 3 * j) % 11) - 0.05);
            design.append(x);
        }
        for (int j = 0; j < 20; ++j) weights.append(0.1);
        QJsonObject network{{QStringLiteral("output"), QStringLiteral("bernoulli")}};
        if (units > 0) {
            const QJsonObject layer{{QStringLiteral("units"), units}, {QStringLiteral("activation"), QStringLiteral("tanh")}};
            network.insert(QStringLiteral("hidden"), QJsonArray{layer, layer, layer});
        }
        QJsonObject preset{
            {QStringLiteral("format"), 1},
            {QStringLiteral("name"), QStringLiteral("large")},
            {QStringLiteral("design"), design},
            {QStringLiteral("network"), network},
            {QStringLiteral("free"), QJsonArray{QJsonObject{{QStringLiteral("weight"), units > 0 ? QStringLiteral("hidden1[0][0]")
                                                                                                 : QStringLiteral("output[0][0]")},
                                                            {QStringLiteral("range"), QJsonArray{-2, 2}}},
                                                QJsonObject{{QStringLiteral("weight"), QStringLiteral("output_bias[0]")},
                                                            {QStringLiteral("range"), QJsonArray{-2, 2}}}}},
            {QStringLiteral("dropout"), QJsonObject{{QStringLiteral("sites"), QJsonArray{QStringLiteral("input")}},
                                                    {QStringLiteral("rate"), 0.3}}}};
        if (units == 0)  // the hidden layer's weights are left 0
            preset.insert(QStringLiteral("weights"), QJsonObject{{QStringLiteral("output"), QJsonArray{weights}}});
        return QJsonDocument(preset).toJson();
    }

    // Too large for any desktop (2^20 masks x 50 points x 3 layers of 1024
    // units: a terabyte of tables): refused from the estimate, before
    // anything is allocated.
    void aModelTooLargeForTheMachineIsRefused() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("huge.json"), droppedInputsPreset(50, 1024));
        const QString out = dir.filePath(QStringLiteral("grid.csv"));
        for (const QStringList& mode : {QStringList{QStringLiteral("--export"), out}, QStringList{QStringLiteral("--benchmark")}}) {
            const Run r = run(QStringList{QStringLiteral("--preset"), path, QStringLiteral("--resolution"), QStringLiteral("2")} + mode);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.startsWith(QStringLiteral("manifold-lens: this computation needs about ")) &&
                         r.err.contains(QStringLiteral("1.3 TB of memory, more than its limit of ")) &&
                         r.err.contains(QStringLiteral("2^20 masks x 50 design points")),
                     qPrintable(r.err));
            QCOMPARE(r.out, QString());
        }
        QVERIFY(!QFileInfo::exists(out));
        // One vertex needs only the masks.
        QCOMPARE(run({QStringLiteral("--preset"), path, QStringLiteral("--dropout"), QStringLiteral("0"), QStringLiteral("--probe"),
                      QStringLiteral("0.5,0")})
                     .exitCode,
                 0);
    }

    // Within the estimate's limit but not within the process's address space:
    // the allocation fails and is reported as such.
    void outOfMemoryIsBadInput() {
#ifdef __SANITIZE_ADDRESS__
        QSKIP("the address sanitizer needs more address space than the limit leaves");
#else
        // 20 dropped inputs at 3 design points: 2^20 masks at each point, gigabytes.
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("large.json"), droppedInputsPreset(3, 0));
        const QString out = dir.filePath(QStringLiteral("grid.csv"));
        // Under a 1 GiB address-space limit.
        const Run r = run({QStringLiteral("--preset"), path, QStringLiteral("--resolution"), QStringLiteral("2"),
                           QStringLiteral("--export"), out},
                          [](QProcess& p) {
                              p.setArguments(QStringList{QStringLiteral("-c"), QStringLiteral("ulimit -v 1048576 && exec \"$0\" \"$@\""),
                                                         p.program()} +
                                             p.arguments());
                              p.setProgram(QStringLiteral("/bin/sh"));
                          });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("manifold-lens: out of memory: ")) && r.err.contains(QStringLiteral("lower --resolution")),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out));
#endif
    }

    void badInputExitsWithTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, QStringList args, const char* message) {
            QTest::newRow(name) << args << QString::fromLatin1(message);
        };
        const QString p = QStringLiteral("--probe"), at = QStringLiteral("0,0");
        row("unknown option", {QStringLiteral("--frobnicate")}, "unknown option '--frobnicate'");
        row("missing value", {QStringLiteral("--dropout")}, "--dropout: missing value");
        row("rate one", {QStringLiteral("--dropout"), QStringLiteral("1"), p, at}, "--dropout: dropout must be in [0, 1)");
        row("rate negative", {QStringLiteral("--dropout"), QStringLiteral("-0.1"), p, at}, "--dropout");
        row("rate nan", {QStringLiteral("--dropout"), QStringLiteral("nan"), p, at}, "not a finite number");
        row("rate text", {QStringLiteral("--dropout"), QStringLiteral("half"), p, at}, "'half' is not a number");
        row("rate trailing", {QStringLiteral("--dropout"), QStringLiteral("0.5x"), p, at}, "is not a number");
        row("aggregation", {QStringLiteral("--aggregation"), QStringLiteral("harmonic"), p, at}, "arithmetic or geometric");
        row("alpha", {QStringLiteral("--alpha"), QStringLiteral("1.5"), p, at}, "--alpha");
        row("resolution low", {QStringLiteral("--resolution"), QStringLiteral("1"), p, at}, "--resolution");
        row("resolution high", {QStringLiteral("--resolution"), QStringLiteral("4098"), p, at}, "--resolution");
        row("resolution fraction", {QStringLiteral("--resolution"), QStringLiteral("12.5"), p, at}, "not a whole number");
        row("probe one number", {p, QStringLiteral("1")}, "two numbers separated by a comma");
        row("probe text", {p, QStringLiteral("a,b")}, "'a' is not a number");
        row("probe inf", {p, QStringLiteral("inf,0")}, "not a finite number");
        row("range reversed", {QStringLiteral("--u-range"), QStringLiteral("3,1"), p, at}, "lo < hi");
        row("range too wide", {QStringLiteral("--u-range=-1e308,1e308"), QStringLiteral("--export"), QStringLiteral("wide.csv")},
            "u range is too wide, got [-1e+308, 1e+308]: hi - lo overflows a double");
        row("range too narrow", {QStringLiteral("--v-range=0,5e-324"), QStringLiteral("--resolution"), QStringLiteral("3"),
                                 QStringLiteral("--export"), QStringLiteral("narrow.csv")},
            "v range [0, 5e-324] is too narrow for 3 vertices per side");
        row("flag with value", {QStringLiteral("--help=yes")}, "--help: takes no value");
        row("unknown preset", {QStringLiteral("--preset"), QStringLiteral("no-such-preset"), p, at},
            "no built-in preset named 'no-such-preset'");
        row("unknown field", {QStringLiteral("--field"), QStringLiteral("curviness")}, "--field: unknown field 'curviness' (one of gaussian,");
        row("log scale with value", {QStringLiteral("--log-scale=yes")}, "--log-scale: takes no value");
        row("export type", {QStringLiteral("--export"), QStringLiteral("grid.xlsx")}, "unsupported file type '.xlsx'");
        row("export without type", {QStringLiteral("--export"), QStringLiteral("grid")}, "--export: grid: the file type is missing");
        row("export without name", {QStringLiteral("--export"), QStringLiteral(".csv")}, "--export: .csv: the file name is missing");
        QTest::newRow("export name too long") << QStringList{QStringLiteral("--export"), QString(5000, QLatin1Char('a')) + QStringLiteral(".csv")}
                                              << QStringLiteral("--export: ") + QString(80, QLatin1Char('a')) + QStringLiteral("...: File name too long");
        row("rate too large", {QStringLiteral("--dropout"), QStringLiteral("1e400"), p, at}, "--dropout: '1e400' is too large");
        row("probe too large", {p, QStringLiteral("0,-1e+400")}, "--probe: '-1e+400' is too large");

        row("rate twice", {p, at, QStringLiteral("--dropout"), QStringLiteral("0.5"), QStringLiteral("--dropout=0.3")},
            "--dropout given twice");
        row("preset twice", {QStringLiteral("--preset"), QStringLiteral("trinomial-simplex"), QStringLiteral("--preset"),
                             QStringLiteral("single-hidden-unit"), p, at},
            "--preset given twice");
        row("help twice", {QStringLiteral("-h"), QStringLiteral("--help")}, "--help given twice");

        const QString shot = QStringLiteral("--screenshot"), png = QStringLiteral("s.png");
        const QString exportOption = QStringLiteral("--export"), csv = QStringLiteral("c.csv");
        row("probe and screenshot", {p, at, shot, png}, "--probe and --screenshot cannot be combined");
        row("export and screenshot", {exportOption, csv, QStringLiteral("--resolution"), QStringLiteral("3"), shot, png},
            "--export and --screenshot cannot be combined");
        row("probe, export and benchmark", {p, at, exportOption, csv, QStringLiteral("--benchmark")},
            "--probe and --export cannot be combined");
        row("benchmark and probe", {QStringLiteral("--benchmark"), p, at}, "--probe and --benchmark cannot be combined");
        for (const QStringList& ignored : {QStringList{QStringLiteral("--resolution"), QStringLiteral("9")},
                                           QStringList{QStringLiteral("--u-range"), QStringLiteral("0,1")},
                                           QStringList{QStringLiteral("--threads"), QStringLiteral("2")},
                                           QStringList{QStringLiteral("--scalar")},
                                           QStringList{QStringLiteral("--field"), QStringLiteral("mean")},
                                           QStringList{QStringLiteral("--log-scale")},
                                           QStringList{QStringLiteral("--window-size"), QStringLiteral("800x600")}})
            QTest::newRow(qPrintable(QStringLiteral("probe with ") + ignored.first()))
                << QStringList{p, at} + ignored << ignored.first() + QStringLiteral(" has no effect with --probe");
        row("export with field", {exportOption, csv, QStringLiteral("--field"), QStringLiteral("mean")},
            "--field has no effect with --export");
        row("benchmark with window size", {QStringLiteral("--benchmark"), QStringLiteral("--window-size"), QStringLiteral("800x600")},
            "--window-size has no effect with --benchmark");
        row("help and version", {QStringLiteral("--version"), QStringLiteral("--help")}, "--version has no effect with --help");
        row("version and probe", {QStringLiteral("--version"), p, at}, "--probe has no effect with --version");
        row("list and preset", {QStringLiteral("--list-presets"), QStringLiteral("--preset"), QStringLiteral("trinomial-simplex")},
            "--preset has no effect with --list-presets");
    }
    void badInputExitsWithTwo() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void badPresetFilesNameTheKeyPath() {
        QTemporaryDir dir;
        const QString broken = writeFile(dir, QStringLiteral("broken.json"), "{\"format\": 1, \"name\": ");
        Run r = run({QStringLiteral("--preset"), broken, QStringLiteral("--probe"), QStringLiteral("0,0")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(broken), qPrintable(r.err));
        const QString badRate = writeFile(dir, QStringLiteral("rate.json"), R"({"format": 1, "name": "x", "design": [[1]],
            "network": {"output": "bernoulli"}, "free": [{"weight": "output[0][0]", "range": [-1, 1]},
            {"weight": "output_bias[0]", "range": [-1, 1]}], "dropout": {"sites": ["input"], "rate": 1}})");
        r = run({QStringLiteral("--preset"), badRate, QStringLiteral("--probe"), QStringLiteral("0,0")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("dropout.rate")), qPrintable(r.err));
        r = run({QStringLiteral("--preset"), dir.path(), QStringLiteral("--probe"), QStringLiteral("0,0")});
        QCOMPARE(r.exitCode, 2);
        r = run({QStringLiteral("--preset"), QString(5000, QLatin1Char('a')), QStringLiteral("--probe"), QStringLiteral("0,0")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("manifold-lens: --preset: ")) && !r.err.contains(QStringLiteral("filesystem error")),
                 qPrintable(r.err.left(200)));
        const QString noSites = writeFile(dir, QStringLiteral("nosites.json"), R"({"format": 1, "name": "x", "design": [[1]],
            "network": {"output": "bernoulli"}, "free": [{"weight": "output[0][0]", "range": [-1, 1]},
            {"weight": "output_bias[0]", "range": [-1, 1]}]})");
        r = run({QStringLiteral("--preset"), noSites, QStringLiteral("--dropout"), QStringLiteral("0.5"), QStringLiteral("--probe"),
                 QStringLiteral("0,0")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("lists no dropout sites")), qPrintable(r.err));
        r = run({QStringLiteral("--preset"), noSites, QStringLiteral("--aggregation"), QStringLiteral("geometric"),
                 QStringLiteral("--probe"), QStringLiteral("0,0")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--aggregation: preset 'x' lists no dropout sites")), qPrintable(r.err));
    }

    void unwritableExportLeavesNoFile() {
        QTemporaryDir dir;
        const QString missingDir = dir.filePath(QStringLiteral("missing/grid.csv"));
        Run r = run({QStringLiteral("--resolution"), QStringLiteral("3"), QStringLiteral("--export"), missingDir});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(missingDir), qPrintable(r.err));
        r = run({QStringLiteral("--resolution"), QStringLiteral("3"), QStringLiteral("--export"), dir.path()});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"

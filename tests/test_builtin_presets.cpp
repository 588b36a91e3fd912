// Loading presets by name or from files: what a file path may be, and how a
// file that cannot be a preset is reported (the format itself is tested in
// test_preset.cpp).

#include "builtin_presets.h"
#include "preset.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

using manifoldlens::loadPreset;
using manifoldlens::Preset;
using manifoldlens::PresetError;

namespace {

/// The message of the std::runtime_error (not a PresetError) loading throws.
std::string fileError(const std::string& path) {
    try {
        loadPreset(path);
    } catch (const PresetError& e) {
        return "a validation error: " + e.path() + ": " + e.message();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "<loaded>";
}

}  // namespace

class TestBuiltinPresets : public QObject {
    Q_OBJECT

private slots:
    void loadsAFile() {
        const Preset p = loadPreset(MANIFOLDLENS_TEST_DATA_DIR "/preset-minimal.json");
        QCOMPARE(p.name, std::string("minimal"));
        QCOMPARE(p.design.rows, 1);
        QCOMPARE(p.design.cols, 1);
        QCOMPARE(p.free[0].ref.isBias, false);
        QCOMPARE(p.free[1].ref.isBias, true);
        QCOMPARE(p.free[1].label, std::string("output_bias[0]"));
        QCOMPARE(p.dropout.sites, (std::vector<bool>{false}));
    }

    void aMissingFileNamesThePath() {
        const std::string path = MANIFOLDLENS_TEST_DATA_DIR "/preset-does-not-exist.json";
        const std::string message = fileError(path);
        QVERIFY2(message.find("no built-in preset named '" + path + "' and no file at that path") == 0, message.c_str());
    }

    void anInvalidFileIsAValidationError() {
        try {
            loadPreset(MANIFOLDLENS_TEST_DATA_DIR "/preset-invalid-hidden-activation.json");
            QFAIL("accepted");
        } catch (const PresetError& e) {
            QCOMPARE(e.path(), std::string("network.hidden[1].activation"));
            QVERIFY2(e.message().find("'relu'") != std::string::npos, e.message().c_str());
        }
    }

    // Devices and pipes could stream without end: only regular files are read.
    void onlyRegularFilesAreRead() {
        QCOMPARE(fileError("/dev/zero"), std::string("'/dev/zero' is not a regular file (a preset is a JSON file)"));
        QCOMPARE(fileError(MANIFOLDLENS_TEST_DATA_DIR),
                 std::string("'" MANIFOLDLENS_TEST_DATA_DIR "' is a directory, not a preset file"));
    }

    // A file beyond the size limit is refused before it is read (a sparse file: no disk used).
    void aHugeFileIsRefused() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath(QStringLiteral("huge.json")).toStdString();
        std::ofstream(path) << "{}";
        std::filesystem::resize_file(path, manifoldlens::kMaxPresetFileBytes + 1);
        const std::string message = fileError(path);
        QVERIFY2(message == "'" + path + "' is " + std::to_string(manifoldlens::kMaxPresetFileBytes + 1) +
                                " bytes; a preset file may have at most " +
                                std::to_string(manifoldlens::kMaxPresetFileBytes) + " bytes",
                 message.c_str());
    }

    // A name too long for the file system is reported, not thrown by the library.
    void anOverlongNameIsReported() {
        const std::string path(5000, 'a');
        const std::string message = fileError(path);
        QVERIFY2(message.find("no built-in preset named") == 0 && message.find("File name too long") != std::string::npos,
                 message.c_str());
    }
};

QTEST_MAIN(TestBuiltinPresets)
#include "test_builtin_presets.moc"

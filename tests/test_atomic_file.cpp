// Writing output files atomically: the target appears complete or not at all,
// also when the writer throws, fails, or the process is killed midway.

#include "atomic_file.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using manifoldlens::FileError;
using manifoldlens::writeFileAtomically;

namespace {

std::size_t filesIn(const std::filesystem::path& dir) {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

std::string contentOf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT

private slots:
    void writesTheWholeContent() {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("out.csv")).toStdString();
        // Several times the stream's buffer, with every byte value.
        std::string content;
        for (int i = 0; i < 300000; ++i) content += static_cast<char>(i * 7 % 256);
        writeFileAtomically(target, [&](std::ostream& out) { out << content; });
        QVERIFY(contentOf(target) == content);
        QCOMPARE(filesIn(dir.path().toStdString()), std::size_t{1});
        // Readable by others, as a file the user saved would be (less the umask).
        const mode_t mask = ::umask(0);
        ::umask(mask);
        struct stat info;
        QCOMPARE(::stat(target.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0644u & ~mask);
    }

    void aFailingWriterLeavesThePreviousFile() {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("out.csv")).toStdString();
        writeFileAtomically(target, [](std::ostream& out) { out << "complete\n"; });
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeFileAtomically(target, [](std::ostream& out) {
            out << "partial";
            throw std::runtime_error("interrupted");
        }));
        QCOMPARE(contentOf(target), std::string("complete\n"));
        QCOMPARE(filesIn(dir.path().toStdString()), std::size_t{1});
    }

    void unwritablePlacesAreFileErrors() {
        QTemporaryDir dir;
        const std::filesystem::path base(dir.path().toStdString());
        QVERIFY_THROWS_EXCEPTION(FileError, writeFileAtomically((base / "missing" / "x.csv").string(), [](std::ostream&) {}));
        QVERIFY_THROWS_EXCEPTION(FileError, writeFileAtomically(base.string(), [](std::ostream&) {}));
        QVERIFY_THROWS_EXCEPTION(FileError, writeFileAtomically("", [](std::ostream&) {}));
        QCOMPARE(filesIn(base), std::size_t{0});
    }

    // A process killed while writing (Ctrl+C on a long export, the OOM
    // killer) leaves neither the target nor a temporary file.
    void aKilledWriterLeavesNothing() {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("big.csv")).toStdString();
        int started[2];
        QCOMPARE(::pipe(started), 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::close(started[0]);
            writeFileAtomically(target, [&](std::ostream& out) {
                const std::string chunk(1 << 20, 'x');
                out << chunk;
                out.flush();
                (void)!::write(started[1], "w", 1);
                for (;;) out << chunk;
            });
            ::_exit(0);
        }
        ::close(started[1]);
        char byte = 0;
        QCOMPARE(::read(started[0], &byte, 1), ssize_t{1});
        ::close(started[0]);
        ::kill(child, SIGKILL);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFSIGNALED(status));
        QCOMPARE(filesIn(dir.path().toStdString()), std::size_t{0});
    }
};

QTEST_APPLESS_MAIN(TestAtomicFile)
#include "test_atomic_file.moc"

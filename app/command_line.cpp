#include "command_line.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

namespace manifoldlens {

namespace {

// Whether a number std::from_chars found out of range for a double is too
// small (rather than too large): its leading digit's decimal exponent is negative.
bool underflows(std::string_view number) {
    long long exponent = 0;
    if (const std::size_t e = number.find_first_of("eE"); e != std::string_view::npos) {
        std::string_view digits = number.substr(e + 1);
        const bool negative = digits.front() == '-';
        if (negative || digits.front() == '+') digits.remove_prefix(1);
        int magnitude = 0;
        if (std::from_chars(digits.data(), digits.data() + digits.size(), magnitude).ec != std::errc()) return negative;
        exponent = negative ? -magnitude : magnitude;
        number = number.substr(0, e);
    }
    const std::size_t point = std::min(number.find('.'), number.size());
    const std::size_t lead = number.find_first_of("123456789");
    const long long leadExponent =
        lead < point ? static_cast<long long>(point - lead) - 1 : -static_cast<long long>(lead - point);
    return exponent + leadExponent < 0;
}

// A decimal number. One too small even for a subnormal double is taken as 0,
// as the preset parser does; one too large is an error.
double parseNumber(const std::string& option, const std::string& text) {
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ptr != end || (ec != std::errc() && ec != std::errc::result_out_of_range))
        throw UsageError(option + ": '" + text + "' is not a number");
    if (ec == std::errc::result_out_of_range) {
        if (!underflows(text)) throw UsageError(option + ": '" + text + "' is too large");
        value = text.front() == '-' ? -0.0 : 0.0;
    }
    if (!std::isfinite(value)) throw UsageError(option + ": '" + text + "' is not a finite number");
    return value;
}

double parseSetting(const std::string& option, const std::string& text, const NumericSpec& spec) {
    const double value = parseNumber(option, text);
    if (auto problem = checkSetting(spec, value)) throw UsageError(option + ": " + *problem);
    return value;
}

std::pair<double, double> parsePair(const std::string& option, const std::string& text) {
    const auto comma = text.find(',');
    if (comma == std::string::npos) throw UsageError(option + ": expected two numbers separated by a comma, got '" + text + "'");
    return {parseNumber(option, text.substr(0, comma)), parseNumber(option, text.substr(comma + 1))};
}

std::pair<double, double> parseRange(const std::string& option, const std::string& text) {
    const auto range = parsePair(option, text);
    if (!(range.first < range.second))
        throw UsageError(option + ": the range must satisfy lo < hi, got '" + text + "'");
    return range;
}

// The options that choose what a command does, at most one of them, in the
// order one is named in messages; without any, the desktop app opens.
enum Mode : unsigned {
    kHelp = 1u << 0,
    kVersion = 1u << 1,
    kListPresets = 1u << 2,
    kProbe = 1u << 3,
    kExport = 1u << 4,
    kBenchmark = 1u << 5,
    kScreenshot = 1u << 6,
};
struct ModeOption {
    std::string_view name;
    Mode mode;
};
constexpr std::array<ModeOption, 7> kModeOptions{{{"--help", kHelp},
                                                  {"--version", kVersion},
                                                  {"--list-presets", kListPresets},
                                                  {"--probe", kProbe},
                                                  {"--export", kExport},
                                                  {"--benchmark", kBenchmark},
                                                  {"--screenshot", kScreenshot}}};

// The modes each other option has an effect in (the desktop app uses every one).
constexpr unsigned kComputes = kProbe | kExport | kBenchmark | kScreenshot;
constexpr unsigned kComputesGrids = kExport | kBenchmark | kScreenshot;
struct ModeModifier {
    std::string_view name;
    unsigned modes;
};
constexpr std::array<ModeModifier, 12> kModifiers{{{"--preset", kComputes},
                                                  {"--dropout", kComputes},
                                                  {"--aggregation", kComputes},
                                                  {"--alpha", kComputes},
                                                  {"--resolution", kComputesGrids},
                                                  {"--u-range", kComputesGrids},
                                                  {"--v-range", kComputesGrids},
                                                  {"--threads", kComputesGrids},
                                                  {"--scalar", kExport | kScreenshot},
                                                  {"--field", kScreenshot},
                                                  {"--log-scale", kScreenshot},
                                                  {"--window-size", kScreenshot}}};

// Throws UsageError when the options given (each once) choose more than one
// mode, or include one that the chosen mode would ignore.
void checkCombination(const std::vector<std::string>& given) {
    auto isGiven = [&](const ModeOption& m) { return std::find(given.begin(), given.end(), m.name) != given.end(); };
    const auto mode = std::find_if(kModeOptions.begin(), kModeOptions.end(), isGiven);
    if (mode == kModeOptions.end()) return;
    const std::string modeName(mode->name);
    const bool printsOnly = (mode->mode & (kHelp | kVersion | kListPresets)) != 0;
    for (const std::string& option : given) {
        if (option == modeName) continue;
        const auto modifier = std::find_if(kModifiers.begin(), kModifiers.end(),
                                           [&](const ModeModifier& m) { return m.name == option; });
        if (modifier == kModifiers.end() && !printsOnly)
            throw UsageError(modeName + " and " + option +
                             " cannot be combined: give one of --probe, --export, --benchmark, --screenshot");
        if (modifier == kModifiers.end() || (modifier->modes & mode->mode) == 0)
            throw UsageError(option + " has no effect with " + modeName);
    }
}

}  // namespace

CommandLine parseCommandLine(const std::vector<std::string>& args) {
    CommandLine cl;
    std::vector<std::string> given;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string option = args[i] == "-h" ? std::string("--help") : args[i];
        std::optional<std::string> inlineValue;
        if (const auto eq = option.find('='); option.rfind("--", 0) == 0 && eq != std::string::npos) {
            inlineValue = option.substr(eq + 1);
            option.resize(eq);
        }
        if (std::find(given.begin(), given.end(), option) != given.end()) throw UsageError(option + " given twice");
        given.push_back(option);
        auto value = [&]() -> std::string {
            if (inlineValue) return *inlineValue;
            if (i + 1 >= args.size()) throw UsageError(option + ": missing value");
            return args[++i];
        };
        auto noValue = [&] {
            if (inlineValue) throw UsageError(option + ": takes no value");
        };

        if (option == "--help") {
            noValue();
            cl.help = true;
        } else if (option == "--version") {
            noValue();
            cl.version = true;
        } else if (option == "--list-presets") {
            noValue();
            cl.listPresets = true;
        } else if (option == "--preset") {
            cl.preset = value();
            if (cl.preset.empty()) throw UsageError("--preset: empty name");
        } else if (option == "--dropout") {
            cl.rate = parseSetting(option, value(), spec::kRate);
        } else if (option == "--aggregation") {
            const std::string text = value();
            cl.aggregation = parseAggregation(text);
            if (!cl.aggregation) throw UsageError("--aggregation: expected arithmetic or geometric, got '" + text + "'");
        } else if (option == "--alpha") {
            cl.alpha = parseSetting(option, value(), spec::kAlpha);
        } else if (option == "--resolution") {
            const std::string text = value();
            const double n = parseSetting(option, text, spec::kResolution);
            if (n != std::floor(n)) throw UsageError("--resolution: '" + text + "' is not a whole number");
            cl.resolution = static_cast<int>(n);
        } else if (option == "--u-range") {
            cl.uRange = parseRange(option, value());
        } else if (option == "--v-range") {
            cl.vRange = parseRange(option, value());
        } else if (option == "--probe") {
            cl.probe = parsePair(option, value());
        } else if (option == "--export") {
            cl.exportPath = value();
            if (cl.exportPath.empty()) throw UsageError("--export: empty file name");
        } else if (option == "--screenshot") {
            cl.screenshotPath = value();
            if (cl.screenshotPath.empty()) throw UsageError("--screenshot: empty file name");
        } else if (option == "--window-size") {
            const std::string text = value();
            const auto x = text.find('x');
            const double w = x == std::string::npos ? 0.0 : parseNumber(option, text.substr(0, x));
            const double h = x == std::string::npos ? 0.0 : parseNumber(option, text.substr(x + 1));
            if (w < 320 || h < 240 || w > 8192 || h > 8192 || w != std::floor(w) || h != std::floor(h))
                throw UsageError("--window-size: expected WIDTHxHEIGHT in pixels between 320x240 and 8192x8192, got '" + text + "'");
            cl.windowSize = std::pair<int, int>(static_cast<int>(w), static_cast<int>(h));
        } else if (option == "--threads") {
            const std::string text = value();
            const double n = parseNumber(option, text);
            if (n != std::floor(n) || n < 1 || n > 256)
                throw UsageError("--threads: expected a whole number from 1 to 256, got '" + text + "'");
            cl.threads = static_cast<int>(n);
        } else if (option == "--scalar") {
            noValue();
            cl.scalar = true;
        } else if (option == "--benchmark") {
            noValue();
            cl.benchmark = true;
        } else if (option == "--field") {
            const std::string key = value();
            cl.field = parseScalarField(key);
            if (!cl.field) {
                std::string keys;
                for (const FieldInfo& f : scalarFields()) keys += std::string(keys.empty() ? "" : ", ") + f.key;
                throw UsageError("--field: unknown field '" + key + "' (one of " + keys + ")");
            }
        } else if (option == "--log-scale") {
            noValue();
            cl.logScale = true;
        } else {
            throw UsageError("unknown option '" + args[i] + "' (see --help)");
        }
    }
    checkCombination(given);
    return cl;
}

std::string usageText() {
    return R"(Usage: manifold-lens [options]

Draws the Fisher-geometry of a network's dropout predictive distributions as
two of its weights vary. Without --probe, --export, --benchmark or --screenshot
it opens the desktop app. At most one of those is given; --help, --version and
--list-presets take no other option, and an option the chosen one would ignore
(say --resolution with --probe) is an error, as is an option given twice.

Options:
  -h, --help                  show this help and exit
      --version               print the version and exit
      --list-presets          list the built-in presets and exit
      --preset NAME|FILE      a built-in preset or a preset file (default: logistic-input-dropout)
      --dropout R             dropout rate in [0, 1) (default: the preset's)
      --aggregation A         arithmetic or geometric (default: the preset's)
      --alpha A               alpha of the embedding curvature in [-1, 1] (default 0)
      --resolution N          grid of N x N vertices, 2..4097 (default 129)
      --u-range LO,HI         range of the first free weight (default: the preset's)
      --v-range LO,HI         range of the second free weight (default: the preset's)
      --probe U,V             print every quantity at the point (U, V) as one JSON object
      --export FILE.csv       write the grid as CSV, one row per vertex
      --screenshot FILE.png   open the window, save it as PNG once the surface is drawn, and quit
                              (starts from default display options, ignoring saved ones)
      --window-size WxH       the window's size in pixels (default 1400x900)
      --field KEY             the colour field of the window: gaussian (default), mean, embedding,
                              volume, penalty-exact, penalty-quadratic, penalty-gap
      --log-scale             colour on a log scale (symmetric log for signed fields)
      --threads N             worker threads of grid computations, 1..256 (default: all hardware threads)
      --scalar                compute grids with the scalar reference kernel instead of the SIMD one
      --benchmark             time full recomputes of the grid (default 1025 x 1025) and print one
                              JSON object: SIMD target, threads, median times, speedups

Exit status: 0 on success, 2 on bad input (the message names the problem), on
too little memory for the model and grid (a grid estimated at more than 3/4 of
the machine's memory is refused before it starts) or when the output cannot be
written, 1 on an internal error.
)";
}

}  // namespace manifoldlens

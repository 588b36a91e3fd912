#pragma once
/// @file atomic_file.h
/// Writing an output file so that a failure never leaves a partial file: the
/// content goes to a temporary file beside the target, which is renamed over
/// the target only once it is complete.

#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>

namespace manifoldlens {

/// A file could not be written; the message names the path and the reason.
class FileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Calls write with a stream on a temporary file in the target's directory,
/// then renames it to path. Throws FileError (leaving no file behind) when the
/// directory is not writable, a write fails or write throws; exceptions from
/// write propagate after the temporary file is removed.
void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace manifoldlens

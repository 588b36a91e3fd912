#pragma once
/// @file output_path.h
/// Checking an output file's path before any work is done for it.

#include <string>
#include <string_view>

namespace manifoldlens {

/// Throws UsageError ("option: path: problem") unless path names a file of the
/// type extension (".csv", compared ignoring case) in an existing, writable
/// directory, and is not itself a directory.
void checkOutputPath(const std::string& option, const std::string& path, std::string_view extension);

/// A path as messages show it: at most 80 characters, cut with "...".
std::string shownPath(const std::string& path);

}  // namespace manifoldlens

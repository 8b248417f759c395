// Paths, links and directories for the output-safety checks (internal):
// resolving links, containment, leftovers of dead runs, durable renames.
#ifndef NEARDUP_IO_PATHS_H_
#define NEARDUP_IO_PATHS_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "neardup/status.h"

namespace neardup::internal {

// `path` with every symbolic link of its last component followed (a chain
// of links, up to 40); unchanged when it is not a link. The final target
// may not exist. *through_descriptor (when given) tells whether the path or
// a link on the way lies in /proc or /dev/fd: a descriptor's magic link,
// naming an open file rather than a path.
Result<std::string> ResolveLinks(const std::string& path, bool* through_descriptor = nullptr);

// `path` lies in `dir` or is `dir`, comparing whole components (both
// resolved or both lexical, as the caller chooses).
bool IsUnder(const std::filesystem::path& path, const std::filesystem::path& dir);

// The process id in a leftover's name: `name` is `prefix` followed by
// decimal digits (and then anything). Empty for any other name.
std::optional<long> LeftoverPid(std::string_view name, std::string_view prefix);

// fsyncs the directory holding `path`, so a rename into it is durable.
Status SyncDirectoryOf(const std::string& path);

}  // namespace neardup::internal

#endif  // NEARDUP_IO_PATHS_H_

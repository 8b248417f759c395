// Shared by the files of the extension module neardup._native: native.cc
// (the module, cluster and dedup), sketch.cc (neardup.MinHash) and diff.cc
// (neardup.diff).
#ifndef NEARDUP_PYTHON_NATIVE_H_
#define NEARDUP_PYTHON_NATIVE_H_

#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "flags.h"

namespace neardup::python {

// Raised (as neardup.Error) with the Status message, which names the file
// and line or record.
struct NeardupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `args` as the CLI's `cluster` would parse them, not yet resolved
// (ResolveClusteringFlags); std::invalid_argument with CLI11's message.
cli::ClusteringFlags ParseRawFlags(const std::vector<std::string>& args);

// `args` as the CLI's `cluster` would parse them (options, then the inputs
// after "--"), resolved and validated; std::invalid_argument (ValueError)
// with the CLI's message when they are not valid.
cli::ClusteringFlags ParseFlags(const std::vector<std::string>& args);

// Registers the classes and functions of sketch.cc, diff.cc and tune.cc on `m`.
void AddSketchBindings(pybind11::module_& m);
void AddDiffBindings(pybind11::module_& m);
void AddTuneBindings(pybind11::module_& m);

}  // namespace neardup::python

#endif  // NEARDUP_PYTHON_NATIVE_H_

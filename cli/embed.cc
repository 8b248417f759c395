#include "embed.h"

#include <utility>

namespace neardup::cli {
namespace {

// Per thread: Python may run two commands at once, each on its own thread.
thread_local DecisionSink* t_extra_sink = nullptr;
thread_local std::string t_last_error;

}  // namespace

ExtraDecisionSink::ExtraDecisionSink(DecisionSink* sink) { t_extra_sink = sink; }
ExtraDecisionSink::~ExtraDecisionSink() { t_extra_sink = nullptr; }
DecisionSink* ExtraDecisionSinkOfThisThread() { return t_extra_sink; }

const std::string& LastError() { return t_last_error; }
void ClearLastError() { t_last_error.clear(); }
void RecordLastError(std::string message) { t_last_error = std::move(message); }

}  // namespace neardup::cli

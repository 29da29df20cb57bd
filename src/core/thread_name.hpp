#pragma once
// Names the calling thread, so that `top -H`, `ps -L` and profilers tell tfa's threads apart
// (tfa-io, tfa-worker, tfa-writer, ...). Linux keeps at most 15 characters; longer names are
// cut. Does nothing where threads cannot be named.
namespace tfa::core {

void name_this_thread(const char* name) noexcept;

}  // namespace tfa::core

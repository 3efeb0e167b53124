// Compiled code calling the Python function an objmode block became
// (numjit/_objmode.py) through numjit_rt_call_python.
#pragma once

namespace numjit::bindings {

// Points the runtime's numjit_rt_call_python at this module's implementation.
void install_call_python();

}  // namespace numjit::bindings

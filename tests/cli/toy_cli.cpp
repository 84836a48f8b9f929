// bidilab-toy: the generic check/simulate commands over the toy models, so the
// command-line behaviour (exit codes, JSON, limits, interrupts) is tested
// end to end independently of the protocol model.
#include <iostream>

#include "cli/command.hpp"
#include "cli/driver.hpp"
#include "../sim/toy_models.hpp"

namespace {
using namespace bidilab::cli;

template <class F>
int with_model(const std::string& name, F&& f) {
    if (name == "grid") return f(toy::Grid{6, 4});
    if (name == "grid-bad") return f(toy::Grid{6, 4, 3, 2});
    if (name == "big-grid") return f(toy::Grid{250, 250});
    if (name == "ring") return f(toy::Ring{4, 2});
    if (name == "deadlock") return f(toy::Pair{3, 1});
    if (name == "endless") return f(toy::Endless{});
    if (name == "tree") return f(toy::Tree{40});
    throw UsageError("unknown toy model '" + name + "'");
}

std::string model_arg(const Args& a) {
    if (a.positional().size() != 1) throw UsageError("expected one model name");
    return a.positional()[0];
}
}  // namespace

int main(int argc, char** argv) {
    std::vector<Command> commands{
        {"check", "explore a toy model", "MODEL [options]", "", check_options, "",
         [](const Args& a, std::ostream& out) {
             const std::string name = model_arg(a);
             return with_model(name, [&](const auto& m) { return run_check(m, a, out, true, {}, {}, {{"model", name}}); });
         }},
        {"simulate", "walk a toy model", "MODEL [options]", "", simulate_options, "",
         [](const Args& a, std::ostream& out) {
             return with_model(model_arg(a), [&](const auto& m) { return run_simulate(m, a, out); });
         }},
    };
    return dispatch("bidilab-toy", commands, std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}

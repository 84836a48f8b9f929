// cli/validate_command.cpp — `bidilab validate TOPOLOGY CAPTURE`: is a wire
// log of real s2s traffic a behaviour the model allows for the topology's
// servers? Exit 0 accepted, 1 rejected, 2 unreadable input.
#include <stdexcept>

#include "capture/wire_log.hpp"
#include "cli/commands.hpp"
#include "validate/validate_error.hpp"
#include "validate/validator.hpp"

namespace bidilab::cli {

namespace {
capture::WireLog read_capture(const std::string& file) {
    try {
        return capture::read_wire_log(file);
    } catch (const capture::CaptureError& e) {
        throw InputError(e.what());
    }
}

validate::Result run_validate(const std::string& topology_file, const std::string& capture_file) {
    const topologies::Topology topology = load_topology_file(topology_file);
    const capture::WireLog log = read_capture(capture_file);
    try {
        return validate::validate(topology, log);
    } catch (const validate::ValidateError& e) {
        throw InputError(e.what());
    } catch (const std::invalid_argument& e) {
        throw InputError(topology_file + ": (root): " + e.what());
    }
}
}  // namespace

Command validate_command() {
    return {"validate", "check a wire log of real s2s traffic against the model of a topology's servers",
            "TOPOLOGY CAPTURE [--json FILE] [--explain]",
            "Replays every connection of a wire log (docs/wire-log.md) through the stream\n"
            "machines of the servers TOPOLOGY describes: each element must be one its writer's\n"
            "machine could write and its reader's machine accepts. Ids, keys, attribute and\n"
            "feature order and timings may vary; correlation may not. Reports the first\n"
            "offending line with the rule IDs it breaks.",
            {{"json", "FILE", "write {verdict, findings[{line, rules, message}], notes} to FILE\n"
                              "('-': standard output, instead of the text report)"},
             {"explain", "", "print the capture as the model sees it: each element as model XML\n"
                             "with its connection and direction, the inputs the validator inferred,\n"
                             "and both ends' states after each line"}},
            "exit: 0 accepted, 1 rejected, 2 unreadable topology or capture",
            [](const Args& a, std::ostream& out) {
                if (a.positional().size() != 2) throw UsageError("expected a topology file and a capture file");
                const validate::Result r = run_validate(a.positional()[0], a.positional()[1]);
                const auto json_path = a.value("json");
                if (json_path) write_json(validate::result_json(r), *json_path, out);
                if (!json_path || *json_path != "-") out << (a.flag("explain") ? validate::explain_text(r) : validate::result_text(r));
                return r.accepted() ? 0 : 1;
            }};
}

}  // namespace bidilab::cli

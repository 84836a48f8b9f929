// Fuzz target: the wire-log reader and `validate`. Any bytes either parse
// and are judged against the lab's two-Prosody topology (accepted or
// rejected, with text and JSON reports that are valid UTF-8 whatever the
// bytes held), or give a one-line error naming the capture.
#include <cstddef>
#include <cstdint>
#include <string>

#include "capture/capture_error.hpp"
#include "capture/wire_log.hpp"
#include "fuzz_support.hpp"
#include "topologies/topology.hpp"
#include "validate/validate_error.hpp"
#include "validate/validator.hpp"

using namespace bidilab;

namespace {
const topologies::Topology& lab_topology() {
    static const topologies::Topology t =
        topologies::load_topology(std::string(SOURCE_DIR) + "/tests/validate/data/prosody-dialback-bidi.topology.json");
    return t;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    capture::WireLog log;
    try {
        log = capture::parse_wire_log(std::move(text), "fuzz.log");
    } catch (const capture::CaptureError& e) {
        fuzz::expect_one_line(e.what(), "fuzz.log:");
        return 0;
    }
    try {
        const validate::Result r = validate::validate(lab_topology(), log);
        const std::string json = validate::result_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
        if (!fuzz::valid_utf8(json)) fuzz::finding("the JSON report is not valid UTF-8");
        if (!fuzz::valid_utf8(validate::result_text(r))) fuzz::finding("the text report is not valid UTF-8");
        if (!fuzz::valid_utf8(validate::explain_text(r))) fuzz::finding("the --explain report is not valid UTF-8");
    } catch (const validate::ValidateError& e) {
        fuzz::expect_one_line(e.what(), "fuzz.log:");
    }
    return 0;
}

#include "model/world_codec.hpp"

#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace bidilab::model {

namespace {

// Writes into a buffer sized up front (bound_of), one memcpy per field.
class Writer {
public:
    explicit Writer(unsigned char* at) : at_(at) {}
    template <class T>
    void put(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        std::memcpy(at_, &v, sizeof v);
        at_ += sizeof v;
    }
    template <class T>
    void count(const T& container) { put(static_cast<std::uint16_t>(container.size())); }
    unsigned char* at() const { return at_; }

private:
    unsigned char* at_;
};

// At least the bytes encode_world writes for w before squeezing.
std::size_t bound_of(const World& w) {
    std::size_t n = 64 + w.stanzas.size() * 16 + w.verifies.size() * sizeof(PendingVerifyRequest) +
                    w.violations.size() * 8 + w.seen_keys.size() * sizeof(Key);
    for (const Connection& c : w.connections)
        n += 8 + sizeof(InitiatingStream) + sizeof(ReceivingStream) +
             (c.to_receiver.size() + c.to_initiator.size()) * sizeof(Element);
    return n;
}

class Reader {
public:
    Reader(const unsigned char* bytes, std::size_t n) : bytes_(bytes), n_(n) {}
    template <class T>
    void get(T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        if (at_ + sizeof v > n_) throw std::length_error("world codec: the bytes end early");
        std::memcpy(&v, bytes_ + at_, sizeof v);
        at_ += sizeof v;
    }
    std::uint16_t count() {
        std::uint16_t n = 0;
        get(n);
        return n;
    }
    bool done() const { return at_ == n_; }

private:
    const unsigned char* bytes_;
    std::size_t n_;
    std::size_t at_ = 0;
};

void put_stanza(Writer& out, const StanzaRecord& s) {
    out.put(s.fate), out.put(s.bounce), out.put(s.deliveries), out.put(s.bounces);
    out.put(s.reverse), out.put(s.via), out.put(s.rerouted);
}

void get_stanza(Reader& in, StanzaRecord& s) {
    in.get(s.fate), in.get(s.bounce), in.get(s.deliveries), in.get(s.bounces);
    in.get(s.reverse), in.get(s.via), in.get(s.rerouted);
}

}  // namespace

void encode_world(const World& w, std::vector<unsigned char>& out) {
    const std::size_t start = out.size();
    out.resize(start + bound_of(w));
    Writer o(out.data() + start);
    // The parts of fixed size first, the FIFOs' elements last: a successor
    // that read or wrote one element then differs from its parent's bytes
    // in one place, not in everything after it (sim/frontier.hpp XORs them).
    o.count(w.connections);
    for (const Connection& c : w.connections) {
        o.put(c.initiator), o.put(c.receiver), o.put(c.number), o.put(c.i), o.put(c.r);
        o.count(c.to_receiver), o.count(c.to_initiator);
    }
    o.count(w.stanzas);
    for (const StanzaRecord& s : w.stanzas) put_stanza(o, s);
    o.count(w.verifies);
    for (const PendingVerifyRequest& v : w.verifies) o.put(v.at), o.put(v.via), o.put(v.need);
    o.count(w.violations);
    for (const ViolationRecord& v : w.violations) o.put(v.connection), o.put(v.at_receiver), o.put(v.element), o.put(v.verdict);
    o.put(w.next_stream_id), o.put(w.next_connection), o.put(w.resets_left);
    o.count(w.seen_keys);
    for (const Key& k : w.seen_keys) o.put(k);
    o.put(w.forgeries_left), o.put(w.forged_accepted);
    o.put(w.branches), o.put(w.choices_made);
    for (const Connection& c : w.connections) {
        for (const Element& e : c.to_receiver) o.put(e);
        for (const Element& e : c.to_initiator) o.put(e);
    }
    out.resize(static_cast<std::size_t>(o.at() - out.data()));
}

void decode_world(const unsigned char* bytes, std::size_t n, World& w) {
    Reader in(bytes, n);
    const std::uint16_t connections = in.count();
    if (std::size_t{connections} * (sizeof(InitiatingStream) + sizeof(ReceivingStream)) > n)
        throw std::length_error("world codec: more connections than bytes");
    w.connections.resize(connections);
    std::size_t elements = 0;  // all FIFOs together: never more than the bytes could hold
    for (Connection& c : w.connections) {
        in.get(c.initiator), in.get(c.receiver), in.get(c.number), in.get(c.i), in.get(c.r);
        const std::uint16_t to_receiver = in.count(), to_initiator = in.count();
        elements += std::size_t{to_receiver} + to_initiator;
        if (elements * sizeof(Element) > n) throw std::length_error("world codec: more elements than bytes");
        c.to_receiver.resize(to_receiver);
        c.to_initiator.resize(to_initiator);
    }
    w.stanzas.resize(in.count());
    for (StanzaRecord& s : w.stanzas) get_stanza(in, s);
    w.verifies.resize(in.count());
    for (PendingVerifyRequest& v : w.verifies) in.get(v.at), in.get(v.via), in.get(v.need);
    w.violations.resize(in.count());
    for (ViolationRecord& v : w.violations) in.get(v.connection), in.get(v.at_receiver), in.get(v.element), in.get(v.verdict);
    in.get(w.next_stream_id), in.get(w.next_connection), in.get(w.resets_left);
    w.seen_keys.resize(in.count());
    for (Key& k : w.seen_keys) in.get(k);
    in.get(w.forgeries_left), in.get(w.forged_accepted);
    in.get(w.branches), in.get(w.choices_made);
    for (Connection& c : w.connections) {
        for (Element& e : c.to_receiver) in.get(e);
        for (Element& e : c.to_initiator) in.get(e);
    }
    if (!in.done()) throw std::length_error("world codec: bytes left after the world");
}

}  // namespace bidilab::model

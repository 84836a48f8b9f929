// probe/pki.hpp — a private CA and the certificates a topology describes
// (`bidilab probe --make-pki DIR`), made with OpenSSL: what the played
// servers present (`--pki DIR` reads them back) and what the live server
// under test is to be given, so that a lab needs nothing but the topology.
//
// For each server with a "certificate" (topologies::Certificate): a P-256
// key and an X.509 v3 certificate whose subjectAltName dNSName entries are
// exactly its names (RFC 6125 §6.4, RFC 7590; CORE-32: the peer learns the
// names it is trusted for from them), valid for 30 days, for both TLS roles
// (extendedKeyUsage serverAuth and clientAuth: an s2s server is a client
// on the connections it opens). "trusted": true signs it with the private
// CA (DIR/ca.crt); false makes it self-signed, so that no peer that trusts
// the CA accepts it. Files: DIR/ca.crt, DIR/ca.key, and DIR/DOMAIN.crt,
// DIR/DOMAIN.key by the server's first domain; keys are written 0600.
#pragma once

#include <string>
#include <vector>

#include "topologies/topology.hpp"

namespace bidilab::probe {

// Writes the files into `dir` (created if missing) and returns their paths.
// Throws std::invalid_argument for a certificate name that is not a DNS
// name or wildcard ("*.example"), and std::runtime_error naming the file
// that cannot be written.
std::vector<std::string> make_pki(const topologies::Topology& t, const std::string& dir);

}  // namespace bidilab::probe

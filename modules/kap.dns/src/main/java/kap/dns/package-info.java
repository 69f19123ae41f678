/**
 * The DNS forwarder: {@link kap.dns.DnsForwarder} and its options. Everything else in this package is
 * package-private implementation: the UDP and TCP loops, the query pipeline, the wire codec, the cache, the upstream
 * client and the guards.
 */
package kap.dns;

import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from './address-policy';

/** A destination refused because it is not on the public internet. */
export class AddressNotAllowedError extends Error {
  readonly code = 'ADDRESS_NOT_ALLOWED';
  constructor(readonly address: string) {
    super(`address not allowed: ${address} is not a public address`);
  }
}

/**
 * The `lookup` of a delivery's socket: the host is resolved here, every address it has is
 * checked, and the socket connects to one of exactly those addresses. Checking a name first and
 * letting the socket resolve it again would let a DNS server answer a public address to the
 * check and a private one to the connection (DNS rebinding). A name with any non-public address
 * is refused whole: it is either misconfigured or an attempt to reach inside.
 */
export function guardedLookup(allowPrivateNetworks: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = allowPrivateNetworks ? undefined : addresses.find((entry) => !isPublicAddress(entry.address));
      if (refused) return callback(new AddressNotAllowedError(refused.address), '', 0);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      // With autoSelectFamily (Node's default) the socket asks for every address and tries them in turn.
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

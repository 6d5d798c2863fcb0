import type { KsefGateway } from '../../../functions/ports/ksef-gateway.js';

/** The same gateway with some of its methods replaced (e.g. to make KSeF slow or its answer incomplete). */
export function overriding(ksef: KsefGateway, overrides: Partial<KsefGateway>): KsefGateway {
  return new Proxy(ksef, {
    get(target, property) {
      const replaced: unknown = Reflect.get(overrides, property);
      if (replaced !== undefined) return replaced;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

import { networkContains, parseIp as parseIpAddress, parseNetwork } from '../../common/cidr.ts';
import type { Evaluator } from '../compile/scope.ts';
import { valuesOf, type Scalar } from '../types.ts';
import { fail, scalar } from './define.ts';
import type { FunctionEntry } from './registry.ts';

/** Points travel as WKT text, "POINT (x y)". */
function pointXY(wkt: string): [number, number] {
  const m = /^\s*POINT\s*\(\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s*\)\s*$/i.exec(wkt);
  if (!m) return fail(`java.lang.IllegalArgumentException: Failed to parse WKT: ${wkt}`);
  return [Number(m[1]), Number(m[2])];
}

const EARTH_RADIUS = 6371008.7714;

/** Haversine distance in metres, as ST_DISTANCE computes for geo points. */
function haversine(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const IP_AND_SPATIAL: readonly FunctionEntry[] = [
  {
    kind: 'scalar',
    names: ['CIDR_MATCH'],
    arity: [2, Infinity],
    compile: (site) => {
      const [ipArg, ...blocks] = site.args as [Evaluator, ...Evaluator[]];
      // Constant blocks (the usual case) are parsed once.
      const fixed = blocks.every((b) => b.constant) ? blocks.flatMap((b) => valuesOf(b.eval([]))).map((c) => {
        try {
          return parseNetwork(String(c));
        } catch {
          throw site.scope.error(`'${String(c)}' is not a valid CIDR in [${site.scope.text(site.node)}]`, site.node);
        }
      }) : undefined;
      if (fixed)
        return {
          type: 'boolean',
          eval: (row) => {
            const v = ipArg.eval(row);
            if (v === null || Array.isArray(v)) return null;
            const ip = parseIpAddress(String(v));
            return ip === undefined ? null : fixed.some((n) => networkContains(n, ip));
          },
        };
      return {
        type: 'boolean',
        eval: (row) => {
          const v = ipArg.eval(row);
          if (v === null || Array.isArray(v)) return null;
          const ip = parseIpAddress(String(v));
          if (ip === undefined) return null;
          for (const b of blocks)
            for (const c of valuesOf(b.eval(row))) {
              try {
                if (networkContains(parseNetwork(String(c)), ip)) return true;
              } catch {
                return fail(`java.lang.IllegalArgumentException: '${String(c)}' is not a valid CIDR`);
              }
            }
          return false;
        },
      };
    },
  },
  scalar(['TO_GEOPOINT', 'TO_GEO_POINT'], ['any'], [1, 1], 'geo_point', ([v]) => {
    const [x, y] = pointXY(String(v));
    return `POINT (${x} ${y})`;
  }),
  scalar(['TO_CARTESIANPOINT'], ['any'], [1, 1], 'cartesian_point', ([v]) => String(v)),
  scalar(['ST_X'], ['point'], [1, 1], 'double', ([p]) => pointXY(String(p))[0]),
  scalar(['ST_Y'], ['point'], [1, 1], 'double', ([p]) => pointXY(String(p))[1]),
  scalar(['ST_DISTANCE'], ['point', 'point'], [2, 2], 'double', ([a, b], site) => {
    const pa = pointXY(String(a as Scalar));
    const pb = pointXY(String(b as Scalar));
    if (site.args[0]?.type === 'cartesian_point') return Math.hypot(pa[0] - pb[0], pa[1] - pb[1]);
    return haversine(pa, pb);
  }),
];

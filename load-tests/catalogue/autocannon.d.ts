// The part of autocannon's programmatic API the benchmark uses (the package ships no types; @types/autocannon is
// not a dependency).
declare module 'autocannon' {
  interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    total: number;
  }

  interface RequestSpec {
    path?: string;
    setupRequest?: (request: { path: string }, context: unknown) => { path: string };
    onResponse?: (status: number, body: string, context: unknown, headers: Record<string, string>) => void;
  }

  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    requests?: RequestSpec[];
  }

  interface Result {
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
  }

  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}

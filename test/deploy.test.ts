// deploy/ stays true to the server: every environment variable the Compose file
// and the Kubernetes manifests give it is one src/config.ts accepts, the Compose
// environment loads as a configuration, and the pieces fit together (the
// simulator's tenant, probes on /healthz and /readyz, names and selectors).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../src/config.js';
import { acceptedSettings } from './support/acceptedSettings.js';

type Environment = Record<string, string | number | boolean | null> | string[];

interface ComposeService {
  build?: string | { context?: string; dockerfile?: string; target?: string };
  image?: string;
  command?: string[];
  environment?: Environment;
  deploy?: { replicas?: number };
}

/** Compose's `${NAME:-default}` as it reads with NAME unset: the default. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_match, _name, fallback: string | undefined) => fallback ?? '');
}

function environmentOf(service: ComposeService): Record<string, string> {
  const entries: [string, string][] = Array.isArray(service.environment)
    ? service.environment.map((line) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)])
    : Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value ?? '')]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value)]));
}

const compose = parse(readFileSync('deploy/docker-compose.yml', 'utf8')) as {
  services: Record<string, ComposeService>;
};

/** The services running the server: this repository's production image (its last stage) with its own command. */
function serverServices(): [string, ComposeService][] {
  return Object.entries(compose.services).filter(
    ([, service]) =>
      typeof service.build === 'object' && service.build.context === '..' && !service.build.target && !service.command,
  );
}

interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: each kind has its own spec; the tests read what they check
  spec?: any;
}

const K8S = 'deploy/kubernetes';
const kustomization = parse(readFileSync(`${K8S}/kustomization.yaml`, 'utf8')) as { resources: string[] };
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(`${K8S}/${file}`, 'utf8')).map((doc) => doc.toJS() as Manifest),
);
const one = (kind: string) => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};
/** A Kubernetes memory quantity in MiB. */
function mebibytes(quantity: string): number {
  const [, number, unit = ''] = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(quantity) ?? [];
  const bytes: Record<string, number> = { '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 };
  expect(bytes[unit], quantity).toBeDefined();
  return (Number(number) * bytes[unit]!) / 2 ** 20;
}
const unknownSettings = (keys: readonly string[]) => {
  const accepted = new Set(acceptedSettings());
  return keys.filter((key) => !accepted.has(key));
};

describe('deploy/docker-compose.yml', () => {
  it('gives the server only settings config.ts accepts, and they load as a configuration', () => {
    const servers = serverServices();
    expect(servers.map(([name]) => name)).toEqual(['oplogs']);
    const [, oplogs] = servers[0]!;
    expect(oplogs.deploy?.replicas).toBe(3);
    const env = environmentOf(oplogs);
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['CLOUD_SDK_AK', 'CLOUD_SDK_SK', 'REDIS_URL']));
    expect(unknownSettings(Object.keys(env))).toEqual([]);

    const config = loadConfig(env);
    expect(config).toMatchObject({ host: '0.0.0.0', port: 4000, upstream: { endpoint: 'http://simulator:9000' } });
  });

  it("points the replicas at the simulator's own default tenant, and the gateway at the replicas", () => {
    // The simulator's defaults, as src/simulator/main.ts writes them.
    const source = readFileSync('src/simulator/main.ts', 'utf8');
    const simulatorDefault = (name: string) => new RegExp(`process\\.env\\.${name} \\|\\| '([^']+)'`).exec(source)?.[1];
    const env = environmentOf(compose.services.oplogs!);
    expect(env).toMatchObject({
      CLOUD_SDK_AK: simulatorDefault('SIMULATOR_AK'),
      CLOUD_SDK_SK: simulatorDefault('SIMULATOR_SK'),
      METASTUDIO_PROJECT_ID: simulatorDefault('SIMULATOR_PROJECT_ID'),
      METASTUDIO_ENDPOINT: `http://simulator:${environmentOf(compose.services.simulator!).SIMULATOR_PORT}`,
    });
    expect(compose.services.supergraph?.command).toContain(`oplogs=http://oplogs:${env.PORT}/graphql`);
    expect(compose.services.gateway?.image).toMatch(/^ghcr\.io\/graphql-hive\/gateway:\d/);
  });
});

describe('deploy/kubernetes', () => {
  const deployment = () => one('Deployment');
  const container = () => deployment().spec.template.spec.containers[0];

  it('applies every manifest in the folder', () => {
    const files = readdirSync(K8S).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Secret',
      'Service',
    ]);
  });

  it('gives the server only settings config.ts accepts, from its ConfigMap and Secret', () => {
    const sources = container().envFrom as Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
    expect(sources.map((s) => s.configMapRef?.name ?? s.secretRef?.name)).toEqual([
      one('ConfigMap').metadata.name,
      one('Secret').metadata.name,
    ]);
    const keys = [
      ...Object.keys(one('ConfigMap').data ?? {}),
      ...Object.keys(one('Secret').stringData ?? {}),
      ...((container().env ?? []) as Array<{ name: string }>).map((e) => e.name),
    ];
    expect(keys).toEqual(expect.arrayContaining(['CLOUD_SDK_AK', 'CLOUD_SDK_SK', 'REDIS_URL', 'PORT']));
    expect(unknownSettings(keys)).toEqual([]);
  });

  it('probes /healthz and /readyz on the port the server listens on, and drains within the grace period', () => {
    const settings = one('ConfigMap').data!;
    const ports = Object.fromEntries(
      (container().ports as Array<{ name: string; containerPort: number }>).map((p) => [p.name, p.containerPort]),
    );
    expect(ports).toEqual({ http: Number(settings.PORT), metrics: Number(settings.METRICS_PORT) });
    expect(container().livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container().readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    const preStopSeconds = Number(container().lifecycle.preStop.exec.command[1]);
    expect(deployment().spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      preStopSeconds * 1000 + Number(settings.SHUTDOWN_TIMEOUT_MS),
    );
  });

  it("limits a replica's memory to at least 1.5× the peak RSS that bench/results.md records", () => {
    // The benchmark's "MB" are VmHWM's KiB / 1024: mebibytes, as the manifest's Mi.
    const peak = Number(/Peak RSS: server (\d+) MB/.exec(readFileSync('bench/results.md', 'utf8'))?.[1]);
    expect(peak).toBeGreaterThan(0);
    const { requests, limits } = container().resources as Record<string, { memory: string }>;
    expect(mebibytes(limits!.memory)).toBeGreaterThanOrEqual(1.5 * peak);
    expect(mebibytes(requests!.memory)).toBeLessThanOrEqual(mebibytes(limits!.memory));
  });

  it('has the Service, the autoscaler and the disruption budget aim at the Deployment', () => {
    const podLabels = deployment().spec.template.metadata.labels as Record<string, string>;
    expect(podLabels).toMatchObject(one('Service').spec.selector);
    expect(podLabels).toMatchObject(one('PodDisruptionBudget').spec.selector.matchLabels);
    expect(podLabels).toMatchObject(deployment().spec.selector.matchLabels);
    expect(one('HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment().metadata.name,
    });
    expect(one('Service').spec.ports.map((p: { targetPort: string }) => p.targetPort)).toEqual(['http', 'metrics']);
  });
});

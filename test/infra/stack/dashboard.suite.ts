import { describe, expect, test } from 'vitest';
import { CODE_UNIT_IDS } from '../../../functions/domain/catalogue.js';
import { METRIC } from '../../../functions/ports/metrics.js';
import { AWS_ENV } from '../../../functions/wiring/aws-env.js';
import { AWS_METRICS } from '../../../functions/wiring/aws-metrics.js';
import { configured } from '../shared-stacks.js';
import { lambdaFunction, render, resourcesOfType } from '../template-helpers.js';

const { template, config } = configured;

interface Widget {
  readonly type: string;
  readonly properties: { readonly title?: string; readonly metrics?: unknown[][] };
}

/** A metric line of a widget: ["Namespace", "Name", "Dim", "value", …, {options}], or an expression. */
interface ShownMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly expression?: string;
  readonly id?: string;
  readonly visible: boolean;
}

const [dashboard] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard');
const body = JSON.parse(render(dashboard?.properties.DashboardBody)) as { widgets: Widget[] };

function metricsOf(widget: Widget): ShownMetric[] {
  return (widget.properties.metrics ?? []).map((line) => {
    const options = (typeof line.at(-1) === 'object' ? line.at(-1) : {}) as { expression?: string; id?: string; visible?: boolean };
    if (options.expression !== undefined) return { namespace: '', name: '', dimensions: {}, expression: options.expression, visible: options.visible !== false };
    const parts = line.filter((part): part is string => typeof part === 'string');
    const [namespace = '', name = '', ...pairs] = parts;
    const dimensions: Record<string, string> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
    return { namespace, name, dimensions, ...(options.id ? { id: options.id } : {}), visible: options.visible !== false };
  });
}

const widget = (title: string): Widget => {
  const found = body.widgets.find((w) => w.properties.title === title);
  if (!found) throw new Error(`no widget titled ${title}`);
  return found;
};
const shown = (title: string) => metricsOf(widget(title)).filter((m) => m.expression === undefined);

describe('the operations dashboard', () => {
  test('there is one, named after the stack', () => {
    expect(resourcesOfType(template, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    expect(dashboard?.properties.DashboardName).toBe(config.stackName);
  });

  test('every metric it shows is one the functions publish, in their namespace, for this stack\'s service and schedule group', () => {
    const watchdog = lambdaFunction(template, `${config.stackName}-watchdog`);
    const all = body.widgets.flatMap(metricsOf).filter((m) => m.expression === undefined);

    expect(all.length).toBeGreaterThan(30);
    for (const metric of all) {
      expect(metric.namespace).toBe(AWS_METRICS.namespace);
      expect(Object.values(METRIC)).toContain(metric.name);
      expect(metric.dimensions).toMatchObject({
        [AWS_METRICS.serviceDimension]: render(watchdog.environment.POWERTOOLS_SERVICE_NAME),
        [AWS_METRICS.scheduleGroupDimension]: render(watchdog.environment[AWS_ENV.scheduleGroupName]),
      });
    }
  });

  test('shows, per queue, the successful and the failed runs and the run duration', () => {
    const queues = (title: string) => shown(title).map((m) => m.dimensions.Queue).sort();

    expect(shown('Successful runs per queue').every((m) => m.name === 'Runs' && m.dimensions.Outcome === 'Success')).toBe(true);
    expect(shown('Failed runs per queue').every((m) => m.name === 'Runs' && m.dimensions.Outcome === 'Error')).toBe(true);
    expect(shown('Run duration per queue (p95, ms)').every((m) => m.name === 'RunDuration')).toBe(true);
    for (const title of ['Successful runs per queue', 'Failed runs per queue', 'Run duration per queue (p95, ms)']) expect(queues(title)).toEqual([...CODE_UNIT_IDS].sort());
  });

  test('shows the documents waiting in each non-final status and how old the oldest is, Pending and Sent on their own', () => {
    const statuses = (title: string, name: string) => shown(title).filter((m) => m.name === name).map((m) => m.dimensions.Status);

    expect(statuses('Documents waiting, per status', 'DocumentsInStatus')).toEqual(['Pending', 'Held', 'Sending', 'Sent']);
    expect(statuses('Age of the oldest waiting document (s)', 'OldestDocumentAge')).toEqual(['Pending', 'Held', 'Sending', 'Sent']);
    expect(statuses('Oldest Pending and Sent document (s)', 'OldestDocumentAge')).toEqual(['Pending', 'Sent']);
  });

  test('shows the documents the runs moved to each status, summed from the code units\' counters', () => {
    const lines = metricsOf(widget('Documents moved to each status'));
    const counters = lines.filter((m) => m.expression === undefined).map((m) => `${m.dimensions.Queue}:${m.dimensions.Counter}`);

    expect(lines.filter((m) => m.expression !== undefined)).toHaveLength(5);
    expect(lines.filter((m) => m.expression === undefined).every((m) => m.name === 'RunCounter' && !m.visible)).toBe(true);
    expect(counters).toEqual(
      expect.arrayContaining(['send-documents:sent', 'process-sessions:accepted', 'process-sessions:rejected', 'send-documents:returnedToPending', 'send-documents:heldOffline']),
    );
  });

  test('shows the entries in Error, KSeF\'s 429 answers with the time waited, and the e-mails sent and failed', () => {
    expect(shown('Entries in Error').map((m) => m.name)).toEqual(['EntriesInError']);
    expect(shown('KSeF: 429 answers and time waited (ms)').map((m) => m.name)).toEqual(['KsefRateLimited', 'KsefWaitTime']);
    expect(shown('E-mails').map((m) => `${m.dimensions.Kind} ${m.dimensions.Result}`)).toEqual(['failure sent', 'failure failed', 'recovery sent', 'recovery failed']);
  });

  test('its name is an output of the stack', () => {
    expect(template.findOutputs('DashboardName')).not.toEqual({});
  });
});

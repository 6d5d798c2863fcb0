import type { Clock } from '../../../ports/clock.js';
import { conflict, notFound, validation } from './api-errors.js';
import { type EmulatorState, scheduleKey, type StoredSchedule, type WireSchedule, type WireScheduleGroup } from './emulator-state.js';
import { DEFAULT_GROUP, parseScheduleRequest, validateName } from './schedule-request.js';

/*
 * The Scheduler API operations on the emulator's state, independent of HTTP. Every change ends with
 * `changed()`, which persists the state and re-arms the firing timer.
 */

export interface OperationsContext {
  readonly state: EmulatorState;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  readonly changed: () => Promise<void>;
}

/** EventBridge Scheduler has 60-second precision: a slot of the current minute still fires. */
export const PRECISION_MS = 60_000;

export type Query = Readonly<Record<string, string | undefined>>;
type Body = Record<string, unknown>;

export class SchedulerOperations {
  constructor(private readonly context: OperationsContext) {}

  async createSchedule(name: string, body: unknown): Promise<Body> {
    const fields = parseScheduleRequest(name, body);
    this.requireGroup(fields.GroupName);
    const key = scheduleKey(fields.GroupName, fields.Name);
    if (this.context.state.schedules.has(key)) throw conflict(`Schedule ${fields.Name} already exists.`);
    const nowS = this.nowSeconds();
    const schedule: WireSchedule = { ...fields, Arn: this.scheduleArn(fields.GroupName, fields.Name), CreationDate: nowS, LastModificationDate: nowS };
    this.context.state.schedules.set(key, this.bookkeeping(schedule, undefined));
    await this.context.changed();
    return { ScheduleArn: schedule.Arn };
  }

  /** Replaces the whole schedule, as AWS does: fields left out fall back to their defaults. */
  async updateSchedule(name: string, body: unknown): Promise<Body> {
    const fields = parseScheduleRequest(name, body);
    const key = scheduleKey(fields.GroupName, fields.Name);
    const previous = this.context.state.schedules.get(key);
    if (!previous) throw notFound(`Schedule ${fields.Name} does not exist.`);
    const schedule: WireSchedule = {
      ...fields,
      Arn: previous.schedule.Arn,
      CreationDate: previous.schedule.CreationDate,
      LastModificationDate: this.nowSeconds(),
    };
    this.context.state.schedules.set(key, this.bookkeeping(schedule, previous));
    await this.context.changed();
    return { ScheduleArn: schedule.Arn };
  }

  getSchedule(name: string, query: Query): Body {
    return { ...this.requireSchedule(name, query).schedule };
  }

  async deleteSchedule(name: string, query: Query): Promise<Body> {
    const stored = this.requireSchedule(name, query);
    this.context.state.schedules.delete(scheduleKey(stored.schedule.GroupName, stored.schedule.Name));
    await this.context.changed();
    return {};
  }

  listSchedules(query: Query): Body {
    const group = query.ScheduleGroup;
    const prefix = query.NamePrefix ?? '';
    const all = [...this.context.state.schedules.values()]
      .map((stored) => stored.schedule)
      .filter((s) => (group === undefined || s.GroupName === group) && s.Name.startsWith(prefix) && (query.State === undefined || s.State === query.State))
      .sort((a, b) => compare(scheduleKey(a.GroupName, a.Name), scheduleKey(b.GroupName, b.Name)));
    const { page, nextToken } = paginate(all, (s) => scheduleKey(s.GroupName, s.Name), query);
    const Schedules = page.map((s) => ({
      Arn: s.Arn,
      Name: s.Name,
      GroupName: s.GroupName,
      State: s.State,
      CreationDate: s.CreationDate,
      LastModificationDate: s.LastModificationDate,
      Target: { Arn: s.Target.Arn },
    }));
    return nextToken === undefined ? { Schedules } : { Schedules, NextToken: nextToken };
  }

  async createScheduleGroup(name: string): Promise<Body> {
    validateName(name);
    if (this.groupExists(name)) throw conflict(`Schedule group ${name} already exists.`);
    const nowS = this.nowSeconds();
    const group: WireScheduleGroup = { Arn: this.groupArn(name), Name: name, State: 'ACTIVE', CreationDate: nowS, LastModificationDate: nowS };
    this.context.state.groups.set(name, group);
    await this.context.changed();
    return { ScheduleGroupArn: group.Arn };
  }

  getScheduleGroup(name: string): Body {
    const group = this.context.state.groups.get(name) ?? (name === DEFAULT_GROUP ? this.defaultGroup() : undefined);
    if (!group) throw notFound(`Schedule group ${name} does not exist.`);
    return { ...group };
  }

  /** Deletes the group and every schedule in it. */
  async deleteScheduleGroup(name: string): Promise<Body> {
    if (name === DEFAULT_GROUP) throw validation('The default schedule group cannot be deleted.');
    if (!this.context.state.groups.delete(name)) throw notFound(`Schedule group ${name} does not exist.`);
    for (const [key, stored] of this.context.state.schedules) {
      if (stored.schedule.GroupName === name) this.context.state.schedules.delete(key);
    }
    await this.context.changed();
    return {};
  }

  listScheduleGroups(query: Query): Body {
    const prefix = query.NamePrefix ?? '';
    const all = [this.defaultGroup(), ...this.context.state.groups.values()]
      .filter((g) => g.Name.startsWith(prefix))
      .sort((a, b) => compare(a.Name, b.Name));
    const { page, nextToken } = paginate(all, (g) => g.Name, query);
    return nextToken === undefined ? { ScheduleGroups: page } : { ScheduleGroups: page, NextToken: nextToken };
  }

  private bookkeeping(schedule: WireSchedule, previous: StoredSchedule | undefined): StoredSchedule {
    const nowMs = this.context.clock.now().getTime();
    const lastFiredMs = previous?.lastFiredMs;
    // A slot that has fired never fires twice, also when an update re-states the same time.
    const notBeforeMs = Math.max(nowMs - PRECISION_MS, lastFiredMs === undefined ? Number.NEGATIVE_INFINITY : lastFiredMs + 1);
    return {
      schedule,
      rateAnchorMs: Math.floor(nowMs / PRECISION_MS) * PRECISION_MS,
      notBeforeMs,
      ...(lastFiredMs === undefined ? {} : { lastFiredMs }),
    };
  }

  private requireSchedule(name: string, query: Query): StoredSchedule {
    const group = query.groupName ?? DEFAULT_GROUP;
    const stored = this.context.state.schedules.get(scheduleKey(group, name));
    if (!stored) throw notFound(`Schedule ${name} does not exist.`);
    return stored;
  }

  private requireGroup(name: string): void {
    if (!this.groupExists(name)) throw notFound(`Schedule group ${name} does not exist.`);
  }

  private groupExists(name: string): boolean {
    return name === DEFAULT_GROUP || this.context.state.groups.has(name);
  }

  private defaultGroup(): WireScheduleGroup {
    return { Arn: this.groupArn(DEFAULT_GROUP), Name: DEFAULT_GROUP, State: 'ACTIVE', CreationDate: 0, LastModificationDate: 0 };
  }

  private scheduleArn(group: string, name: string): string {
    return `arn:aws:scheduler:${this.context.region}:${this.context.accountId}:schedule/${group}/${name}`;
  }

  private groupArn(name: string): string {
    return `arn:aws:scheduler:${this.context.region}:${this.context.accountId}:schedule-group/${name}`;
  }

  private nowSeconds(): number {
    return this.context.clock.now().getTime() / 1000;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** NextToken is the base64url of the last key returned; MaxResults is 1-100 (default 100). */
function paginate<T>(items: readonly T[], keyOf: (item: T) => string, query: Query): { page: T[]; nextToken?: string } {
  const maxResults = query.MaxResults === undefined ? 100 : Number(query.MaxResults);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) throw validation('MaxResults must be a whole number from 1 to 100.');
  let after: string | undefined;
  if (query.NextToken !== undefined) {
    after = Buffer.from(query.NextToken, 'base64url').toString('utf8');
  }
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, maxResults);
  const last = page.at(-1);
  return rest.length > maxResults && last !== undefined ? { page, nextToken: Buffer.from(keyOf(last), 'utf8').toString('base64url') } : { page };
}

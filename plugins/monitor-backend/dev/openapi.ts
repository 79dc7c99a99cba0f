import {
  entityStatsResponseSchema,
  entityStatsSchema,
  errorResponseSchema,
  healthChangeSchema,
  healthReasonSchema,
  JOB_REPORT_LIMITS,
  JOB_REPORT_SECRET_HEADER,
  jobDetailResponseSchema,
  jobHealthSchema,
  jobListResponseSchema,
  jobReportAcceptedResponseSchema,
  jobReportSchema,
  jobResponseSchema,
  jobRunOutcomeSchema,
  jobRunSchema,
  jobScheduleViewSchema,
  jobSchema,
  jobSummaryResponseSchema,
  acknowledgeRequestSchema,
  attentionChangeSchema,
  MONITOR_API,
  MonitorApiRoute,
  muteRequestSchema,
  maintenanceWindowRequestSchema,
} from '@tc-portal/plugin-monitor-common';
import { stringify } from 'yaml';
import { z } from 'zod';

/** The schemas the document names, by the name it gives them. */
const COMPONENTS: Record<string, z.ZodType> = {
  JobReport: jobReportSchema,
  JobReportAccepted: jobReportAcceptedResponseSchema,
  Health: jobHealthSchema,
  HealthReason: healthReasonSchema,
  RunOutcome: jobRunOutcomeSchema,
  JobSchedule: jobScheduleViewSchema,
  Job: jobSchema,
  JobRun: jobRunSchema,
  HealthChange: healthChangeSchema,
  AttentionChange: attentionChangeSchema,
  JobList: jobListResponseSchema,
  JobDetail: jobDetailResponseSchema,
  JobSummary: jobSummaryResponseSchema,
  JobResponse: jobResponseSchema,
  EntityStats: entityStatsSchema,
  EntityStatsList: entityStatsResponseSchema,
  AcknowledgeRequest: acknowledgeRequestSchema,
  MuteRequest: muteRequestSchema,
  MaintenanceWindowRequest: maintenanceWindowRequestSchema,
  Error: errorResponseSchema,
};

type JsonSchema = Record<string, unknown>;

const toJsonSchemaOptions = {
  // What a client sends and reads; the responses have no transforms.
  io: 'input',
  override: ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
    // zod's date-time and UUID patterns repeat what `format` says, and its
    // bounds of a safe integer what `integer` means to a client.
    if (jsonSchema.format) {
      delete jsonSchema.pattern;
    }
    if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) {
      delete jsonSchema.minimum;
    }
    if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) {
      delete jsonSchema.maximum;
    }
  },
} as const;

function withoutDialect({ $schema: _, $id: __, ...schema }: JsonSchema) {
  return schema;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * The OpenAPI document of the monitor's HTTP API, made from the contract's
 * route table and zod schemas (`MONITOR_API`), which are its one source.
 */
export function createOpenApiDocument() {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) {
    registry.add(schema, { id });
  }
  const { schemas } = z.toJSONSchema(registry, {
    ...toJsonSchemaOptions,
    uri: id => `#/components/schemas/${id}`,
  });
  const nameOf = (schema: z.ZodType) => {
    const name = registry.get(schema)?.id;
    if (!name) {
      throw new Error('A route uses a schema the document does not name');
    }
    return name;
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, route] of Object.entries(MONITOR_API) as Array<
    [string, MonitorApiRoute]
  >) {
    const jsonBody = (schema: z.ZodType) => ({
      content: { 'application/json': { schema: ref(nameOf(schema)) } },
    });
    const parameters = [
      ...pathParameters(route.path),
      ...queryParameters(route),
    ];
    paths[route.path] ??= {};
    paths[route.path][route.method] = {
      operationId,
      summary: route.permission
        ? `${route.summary} Needs the permission ${route.permission}.`
        : route.summary,
      security: [{ [route.auth]: [] }],
      ...(parameters.length > 0 && { parameters }),
      ...(route.body && {
        requestBody: { required: true, ...jsonBody(route.body) },
      }),
      responses: {
        [route.success.status]: {
          description: route.success.description,
          ...(route.success.body && jsonBody(route.success.body)),
        },
        ...Object.fromEntries(
          route.errors.map(status => [
            status,
            { $ref: '#/components/responses/Error' },
          ]),
        ),
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'monitor',
      version: '1',
      description:
        'The TC Portal job monitor (pluginId monitor), under /api/monitor. ' +
        'Scheduled jobs report to /job-report with a shared secret; the other ' +
        'routes need a Backstage token. Generated from the zod schemas of ' +
        '@tc-portal/plugin-monitor-common (MONITOR_API): run ' +
        '`yarn build:openapi` after changing them.',
      license: { name: 'Apache-2.0' },
    },
    servers: [{ url: '/api/monitor' }],
    components: {
      securitySchemes: {
        webhookSecret: {
          type: 'apiKey',
          in: 'header',
          name: JOB_REPORT_SECRET_HEADER,
        },
        backstage: { type: 'http', scheme: 'bearer' },
      },
      responses: {
        Error: {
          description: "An error, in Backstage's usual body.",
          content: { 'application/json': { schema: ref('Error') } },
        },
      },
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([id, schema]) => [
          id,
          withoutDialect(schema as JsonSchema),
        ]),
      ),
    },
    paths,
  };
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', maxLength: JOB_REPORT_LIMITS.jobKey },
  }));
}

function queryParameters(route: MonitorApiRoute) {
  if (!route.query) {
    return [];
  }
  const query = z.toJSONSchema(route.query, toJsonSchemaOptions) as {
    properties: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(query.properties).map(
    ([name, { description, deprecated, ...schema }]) => ({
      name,
      in: 'query',
      ...(query.required?.includes(name) && { required: true }),
      ...(description !== undefined && { description }),
      ...(deprecated !== undefined && { deprecated }),
      schema,
    }),
  );
}

/** The document as the committed `openapi.yaml` holds it. */
export function openApiYaml(): string {
  return `# Generated by \`yarn build:openapi\` from MONITOR_API in @tc-portal/plugin-monitor-common. Do not edit.\n${stringify(
    createOpenApiDocument(),
    { lineWidth: 0 },
  )}`;
}

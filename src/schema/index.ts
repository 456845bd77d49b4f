// Assembles the schema: every type file registers itself, and its root fields, on the builder.
import { builder } from './builder.js';
import { guardEntities } from './entities.js';
import './operationLog.js';
import './connection.js';
import './trainingJob.js';
import './trainingJobStatus.js';
import './trainingJobEvents.js';
import './trainingJobDetails.js';
import './auditResult.js';
import './voiceTrainingJobs.js';

builder.queryType({});
builder.subscriptionType({});

export const schema = guardEntities(
  builder.toSubGraphSchema({
    linkUrl: 'https://specs.apollo.dev/federation/v2.6',
    federationDirectives: ['@key', '@shareable'],
  }),
);

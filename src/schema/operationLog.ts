// One entry of a job's operation log, and its extra information.
import { invalidResponse } from '../upstream/errors.js';
import {
  knownValue,
  OPERATION_ACTIONS,
  OPERATION_OPERATORS,
  type Action,
  type OperationField,
  type OperationLog,
  type OpExternalInfo,
  type Operator,
} from '../upstream/opLogPage.js';
import { toEpochMillis } from '../upstream/upstreamTime.js';
import { builder } from './builder.js';

/** A field the upstream sent with a wrong type fails alone, where it is asked for. */
function checked<F extends OperationField>(op: OperationLog, field: F): OperationLog[F] {
  const problem = op.problems?.[field];
  if (problem) throw invalidResponse(problem, {});
  return op[field];
}

const OperationAction = builder.enumType('OperationAction', {
  description: 'What happened to the training job. Values MetaStudio adds later arrive as UNKNOWN; see `rawAction`.',
  values: {
    CREATE_JOB: { description: 'The job was created.' },
    COMMIT_JOB: { description: 'The job was submitted for review.' },
    SYSTEM_AUDIT_PASS: { description: 'The automatic review passed.' },
    ADMIN_AUDIT_PASS: { description: 'An administrator approved the job.' },
    AUDIT_NOT_PASS: { description: 'The review failed; `externalInfo` says why.' },
    TRAINING_FINISH: { description: 'Training finished.' },
    UPLOADING_MODEL: { description: 'The voice model is being uploaded.' },
    COMPLETE_JOB: { description: 'The job is complete.' },
    UNKNOWN: { description: 'An action this server does not know yet, or none was given.' },
  } as const,
});

export const OperationOperator = builder.enumType('OperationOperator', {
  description: 'Who performed the operation. Values MetaStudio adds later arrive as UNKNOWN; see `rawOperator`.',
  values: {
    USER: { description: 'The tenant user.' },
    ADMIN: { description: 'A MetaStudio administrator.' },
    SYSTEM: { description: 'MetaStudio itself.' },
    UNKNOWN: { description: 'An operator this server does not know yet, or none was given.' },
  } as const,
});

const OpExternalInfoRef = builder.objectRef<OpExternalInfo>('OpExternalInfo').implement({
  description: 'Extra information attached to an operation, such as review results and failure reasons.',
  fields: (t) => ({
    reviewIdList: t.exposeStringList('reviewIdList', {
      description: 'Ids of the review records for this operation; empty when there are none.',
    }),
    algorithmFailureReason: t.exposeString('algorithmFailureReason', {
      nullable: true,
      description: 'Why the automatic (algorithm) check failed, if it did.',
    }),
    adminAuditFailureReason: t.exposeString('adminAuditFailureReason', {
      nullable: true,
      description: 'Why an administrator rejected the job, if one did.',
    }),
  }),
});

export const OperationLogItemRef = builder.objectRef<OperationLog>('OperationLogItem').implement({
  description: 'One entry of a training job operation log.',
  fields: (t) => ({
    time: t.field({
      type: 'DateTime',
      description: 'When the operation happened, as an ISO-8601 UTC timestamp.',
      resolve: (op) => {
        const time = checked(op, 'time');
        // Only this field fails when the upstream leaves the time out.
        if (time === null) throw invalidResponse('an operation has no time', {});
        return new Date(toEpochMillis(time));
      },
    }),
    rawTime: t.field({
      type: 'SafeInt',
      nullable: true,
      description:
        'The upstream `time` value as sent. Its unit is undocumented: values below 10^11 are read as epoch seconds, larger ones as epoch milliseconds.',
      resolve: (op) => checked(op, 'time'),
    }),
    action: t.field({
      type: OperationAction,
      resolve: (op): Action => knownValue(OPERATION_ACTIONS, checked(op, 'action')),
    }),
    rawAction: t.string({
      nullable: true,
      resolve: (op) => checked(op, 'action'),
      description: 'The upstream `action` string as sent, also when `action` is UNKNOWN.',
    }),
    operator: t.field({
      type: OperationOperator,
      resolve: (op): Operator => knownValue(OPERATION_OPERATORS, checked(op, 'operator')),
    }),
    rawOperator: t.string({
      nullable: true,
      resolve: (op) => checked(op, 'operator'),
      description: 'The upstream `operator` string as sent, also when `operator` is UNKNOWN.',
    }),
    externalInfo: t.field({
      type: OpExternalInfoRef,
      nullable: true,
      resolve: (op) => checked(op, 'externalInfo'),
    }),
  }),
});

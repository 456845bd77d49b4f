import { getFragmentData, graphql, type FragmentType } from './gql';
import { formatTime } from './time';

export const OperationRowFragment = graphql(`
  fragment OperationRow on OperationLogItem {
    time
    action
    rawAction
    operator
    rawOperator
    externalInfo {
      reviewIdList
      algorithmFailureReason
      adminAuditFailureReason
    }
  }
`);

/** One operation of a timeline; `position` is its place in the whole log (0 = oldest). */
export function OperationRow({
  operation,
  position,
}: {
  operation: FragmentType<typeof OperationRowFragment>;
  position: number;
}) {
  const { time, action, rawAction, operator, rawOperator, externalInfo } = getFragmentData(
    OperationRowFragment,
    operation,
  );
  const reasons = [externalInfo?.algorithmFailureReason, externalInfo?.adminAuditFailureReason].filter(
    (r) => r != null,
  );
  return (
    <li className="operation" data-position={position} data-action={action}>
      <time dateTime={time}>{formatTime(time)}</time>
      {/* UNKNOWN: an action or operator newer than the server; the raw string says which. */}
      <span className="action">{action === 'UNKNOWN' ? (rawAction ?? 'UNKNOWN') : action}</span>
      <span className="operator">{operator === 'UNKNOWN' ? (rawOperator ?? 'UNKNOWN') : operator}</span>
      {externalInfo && externalInfo.reviewIdList.length > 0 && (
        <span className="reviews">reviews {externalInfo.reviewIdList.join(', ')}</span>
      )}
      {reasons.map((reason) => (
        <p className="reason" key={reason}>
          {reason}
        </p>
      ))}
    </li>
  );
}

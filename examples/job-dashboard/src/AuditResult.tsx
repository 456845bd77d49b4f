import { getFragmentData, graphql, type FragmentType } from './gql';
import { formatTime } from './time';

// One upstream call per job.
export const AuditResultFragment = graphql(`
  fragment AuditResult on TrainingJob {
    auditResult {
      systemReview {
        reviewedAt
        problems {
          audioName
          textName
          code
          message
        }
      }
      adminReview {
        reviewedAt
        message
        attachmentName
        attachmentUrl
      }
    }
  }
`);

/** Only http(s) links are followed: the URL comes from upstream, and a javascript: one would run in this page. */
function safeUrl(url: string): string | null {
  try {
    return /^https?:$/.test(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

/** The reviews behind a rejection: each failing recording and check, and the reviewer's message and attachment. */
export function AuditResult({ job }: { job: FragmentType<typeof AuditResultFragment> }) {
  const { auditResult } = getFragmentData(AuditResultFragment, job);
  const system = auditResult?.systemReview;
  const admin = auditResult?.adminReview;
  if (!system && !admin) return null;
  const attachment = admin?.attachmentUrl ? safeUrl(admin.attachmentUrl) : null;
  return (
    <section className="audit" aria-label="Audit result">
      <h3>Review</h3>
      {system && (
        <div className="system-review">
          <h4>
            Automatic check
            {system.reviewedAt && <time dateTime={system.reviewedAt}> {formatTime(system.reviewedAt)}</time>}
          </h4>
          {system.problems.length === 0 ? (
            <p className="empty">No problems found.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Recording</th>
                  <th scope="col">Text</th>
                  <th scope="col">Check</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {system.problems.map((problem, index) => (
                  // Recordings may fail several checks, and names may be absent: the position keys the row.
                  // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced whole, never reordered
                  <tr key={index} className="review-problem">
                    <td>{problem.audioName ?? '—'}</td>
                    <td>{problem.textName ?? '—'}</td>
                    <td>
                      <code>{problem.code ?? '—'}</code>
                    </td>
                    <td>{problem.message ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {admin && (
        <div className="admin-review">
          <h4>
            Administrator
            {admin.reviewedAt && <time dateTime={admin.reviewedAt}> {formatTime(admin.reviewedAt)}</time>}
          </h4>
          {admin.message && <blockquote className="message">{admin.message}</blockquote>}
          {attachment && (
            <a className="attachment" href={attachment} target="_blank" rel="noopener noreferrer">
              {admin.attachmentName || 'Attachment'}
            </a>
          )}
          {admin.attachmentUrl && !attachment && (
            <span className="attachment">{admin.attachmentName || 'Attachment'} (link not shown: not http(s))</span>
          )}
        </div>
      )}
    </section>
  );
}

import { getFragmentData, graphql, type FragmentType } from './gql';

// Read with the job's details, at no extra cost.
export const AssessmentFragment = graphql(`
  fragment Assessment on TrainingJob {
    assessment {
      suggestion
      metrics {
        name
        expected
        actual
        suggestion
        suggestionEn
        outOfRange
      }
    }
  }
`);

/** The audio quality assessment of the training data: one row per measured property. */
export function Assessment({ job }: { job: FragmentType<typeof AssessmentFragment> }) {
  const { assessment } = getFragmentData(AssessmentFragment, job);
  if (!assessment) return null;
  return (
    <section className="assessment" aria-label="Assessment">
      <h3>Audio assessment</h3>
      {assessment.suggestion && <p className="suggestion">{assessment.suggestion}</p>}
      {assessment.metrics.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Expected</th>
              <th scope="col">Actual</th>
              <th scope="col">Suggestion</th>
            </tr>
          </thead>
          <tbody>
            {assessment.metrics.map((metric) => (
              <tr
                key={metric.name}
                data-metric={metric.name}
                className={metric.outOfRange ? 'out-of-range' : undefined}
              >
                <th scope="row">{metric.name}</th>
                <td>{metric.expected ?? '—'}</td>
                <td>
                  {metric.actual ?? '—'}
                  {metric.outOfRange && <span className="flag"> out of range</span>}
                </td>
                <td>{metric.suggestionEn ?? metric.suggestion ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

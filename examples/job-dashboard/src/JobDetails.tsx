import type { ReactNode } from 'react';
import { getFragmentData, graphql, type FragmentType } from './gql';
import type { TrainingJobCreateType } from './gql/graphql';
import { editionLabel } from './JobRow';
import { StateBadge } from './StateBadge';
import { formatTime } from './time';

// The job's own record at MetaStudio (one upstream call per job, shared by every field here). Not its
// authorization-letter and training-data links: they grant access to personal data, and a page is no place to keep them.
export const JobDetailsFragment = graphql(`
  fragment JobDetails on TrainingJob {
    voiceName
    jobType
    state
    stateChangedAt
    appUserId
    rejectionCount
    assetId
    trainingFailure {
      code
      reason
    }
    tag
    batchName
    onDemand
    remake
    language
    outputLanguage
    speakerSex
    createType
    allocatedResource {
      chargeMode
      expiresAt
    }
    avatarJobId
  }
`);

const UPLOADS: Record<TrainingJobCreateType, string> = {
  PACKAGE: 'as one package',
  SEGMENT: 'sentence by sentence',
  UNKNOWN: 'unknown',
};

const yesNo = (value: boolean | null | undefined) => (value == null ? null : value ? 'yes' : 'no');

/** MetaStudio's record of a job: its state (which can differ from the log's status), edition, voice and outcome. */
export function JobDetails({ details }: { details: FragmentType<typeof JobDetailsFragment> }) {
  const job = getFragmentData(JobDetailsFragment, details);
  const languages = [job.language, job.outputLanguage].filter((l) => l != null);
  const facts: Array<[string, ReactNode]> = [
    ['Voice', job.voiceName],
    ['Edition', job.jobType && editionLabel(job.jobType)],
    ['State since', job.stateChangedAt && formatTime(job.stateChangedAt)],
    ['Language', languages.length > 0 && languages.join(' → ')],
    ['Speaker', job.speakerSex?.toLowerCase()],
    ['Uploaded', job.createType && UPLOADS[job.createType]],
    ['Use case', job.tag?.toLowerCase()],
    ['Batch', job.batchName],
    ['App user', job.appUserId],
    ['Rejections', job.rejectionCount],
    ['Voice model', job.assetId && <code>{job.assetId}</code>],
    ['On demand', yesNo(job.onDemand)],
    ['Remake', yesNo(job.remake)],
    ['Resource', job.allocatedResource?.chargeMode?.toLowerCase().replace('_', ' ')],
    ['Resource until', job.allocatedResource?.expiresAt && formatTime(job.allocatedResource.expiresAt)],
    ['Avatar job', job.avatarJobId && <code>{job.avatarJobId}</code>],
  ];
  return (
    <section className="details" aria-label="Details">
      <span className="badge-label">MetaStudio state</span>
      <StateBadge state={job.state} />
      <dl>
        {facts
          .filter(([, value]) => value != null && value !== false)
          .map(([name, value]) => (
            <div key={name} data-fact={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {job.trainingFailure && (
        <p className="training-failure">
          <strong>Training failed{job.trainingFailure.code && <> ({job.trainingFailure.code})</>}:</strong>{' '}
          {job.trainingFailure.reason ?? 'no reason given.'}
        </p>
      )}
    </section>
  );
}

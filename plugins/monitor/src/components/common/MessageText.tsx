import { useState } from 'react';
import { Link, makeStyles, Typography } from '@material-ui/core';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { monitorTranslationRef } from '../../translation';

const useStyles = makeStyles({
  oneLine: {
    display: 'block',
    maxWidth: '100%',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  full: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    fontFamily: 'monospace',
    fontSize: '0.8rem',
  },
});

/**
 * A job's message as text (never as HTML): one line, the whole of it on
 * demand, line breaks kept.
 */
export function MessageText(props: { message: string | null; full?: boolean }) {
  const classes = useStyles();
  const { t } = useTranslationRef(monitorTranslationRef);
  const [open, setOpen] = useState(false);
  const message = props.message;
  if (!message) {
    return null;
  }
  if (props.full) {
    return (
      <Typography component="div" className={classes.full}>
        {message}
      </Typography>
    );
  }
  const long = message.length > 80 || message.includes('\n');
  return (
    <div>
      <Typography
        variant="body2"
        component="span"
        className={open ? classes.full : classes.oneLine}
        title={open ? undefined : message}
      >
        {message}
      </Typography>
      {long && (
        <Link
          component="button"
          variant="caption"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
        >
          {open ? t('jobTable.showLessMessage') : t('jobTable.showFullMessage')}
        </Link>
      )}
    </div>
  );
}

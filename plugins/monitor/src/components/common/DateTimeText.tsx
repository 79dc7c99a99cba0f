import { Typography } from '@material-ui/core';
import { useFormatters } from '../../hooks/useFormatters';

/** A moment as "3 minutes ago", with the exact local time beneath. */
export function DateTimeText(props: { iso: string | null; exact?: boolean }) {
  const format = useFormatters();
  if (!props.iso) {
    return null;
  }
  return (
    <time dateTime={props.iso} title={format.dateTime(props.iso)}>
      <Typography variant="body2" component="span" display="block">
        {format.relative(props.iso)}
      </Typography>
      {props.exact !== false && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="span"
          display="block"
        >
          {format.dateTime(props.iso)}
        </Typography>
      )}
    </time>
  );
}

import { TextField } from '@material-ui/core';

/** A date and time in the viewer's local time, as `yyyy-MM-ddTHH:mm`. */
export function DateTimeField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  first?: boolean;
}) {
  return (
    <TextField
      id={props.id}
      fullWidth
      type="datetime-local"
      label={props.label}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
      InputLabelProps={{ shrink: true }}
      style={props.first ? undefined : { marginTop: 16 }}
    />
  );
}

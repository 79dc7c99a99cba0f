import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box } from '@material-ui/core';

/** A list of entity refs as links, or a dash. */
export function EntityRefs(props: { refs: string[] }) {
  if (props.refs.length === 0) {
    return <>—</>;
  }
  return (
    <Box
      component="span"
      display="inline-flex"
      flexWrap="wrap"
      style={{ gap: 8 }}
    >
      {props.refs.map(ref => (
        <EntityRefLink key={ref} entityRef={ref} defaultKind="group" />
      ))}
    </Box>
  );
}

import React from 'react';
import Heading from '@theme/Heading';

export default function InstallSteps(props) {
  return (
    <>
      <Heading as="h2" id={`install-${props.prodnamedash}`}>Install {props.prodname}</Heading>
      <p>Apply the manifests.</p>
      <Heading as="h2" id="license">Apply the license</Heading>
    </>
  );
}

// TODO(coordinator): replaced by the thin door over wiring/aws.ts within this session.
export const handler = async (): Promise<never> => {
  throw new Error('The process-upo handler is not wired yet.');
};

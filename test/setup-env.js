// Unit tests synthesize without CDK's built-in CloudFormation validator (see jest.config.js).
process.env.CDK_VALIDATION = 'false';

/** The Belgian eID's identity and address as the card layer returns them (mirrors the schema). */
export type DocumentType = 'BELGIAN_CITIZEN' | 'FOREIGNER' | 'KIDS_CARD' | 'OTHER';
export type Sex = 'FEMALE' | 'MALE';
export type SpecialStatus = 'EXTENDED_MINORITY' | 'WHITE_CANE' | 'YELLOW_CANE';

export type Identity = {
  cardNumber: string;
  chipNumber: string;
  validityBegin: string;
  validityEnd: string;
  issuingMunicipality: string;
  nationalNumber: string;
  surname: string;
  firstNames: string;
  thirdNameInitial: string | null;
  nationality: string;
  birthPlace: string;
  birthDate: string;
  sex: Sex;
  nobleCondition: string | null;
  documentTypeCode: string;
  documentType: DocumentType;
  specialStatus: SpecialStatus[];
  photoHash: string;
  duplicate: string | null;
  specialOrganisation: string | null;
  memberOfFamily: boolean;
};

export type Address = {
  streetAndNumber: string;
  zipCode: string;
  municipality: string;
};

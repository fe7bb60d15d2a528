/** Common Danish given names and surnames, combined at random: no real person is meant. */
export const GIVEN_NAMES = [
  'Anne', 'Kirsten', 'Mette', 'Hanne', 'Anna', 'Helle', 'Susanne', 'Lene', 'Maria', 'Marianne', 'Louise', 'Camilla',
  'Peter', 'Jens', 'Lars', 'Michael', 'Henrik', 'Thomas', 'Søren', 'Jan', 'Niels', 'Christian', 'Martin', 'Jesper',
  'Ahmad', 'Fatima', 'Mohammad', 'Amina', 'Ali', 'Layla', 'Omar', 'Sara', 'Yusuf', 'Hiba', 'Emir', 'Zainab',
];
export const SURNAMES = [
  'Nielsen', 'Jensen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen',
  'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Christiansen', 'Poulsen', 'Johansen', 'Møller', 'Mortensen',
  'Hassan', 'Ali', 'Yilmaz', 'Ahmed', 'Hussein', 'Khan', 'Demir', 'Abdi',
];
